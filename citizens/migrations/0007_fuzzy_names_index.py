# The fuzzy search within a province ranks the distinct names read off this index
# (citizens.search._ranked_names). The new index is built before the old one is
# dropped: CREATE INDEX lets the searches read on while it builds (about 3 minutes at
# 60 million rows, writes to the applications wait), and DROP INDEX's exclusive lock
# is then held only for the moment before the commit.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0006_access_purpose"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="cardapplication",
            index=models.Index(
                fields=["province_code", "family_key", "given_key", "name_key", "lodged_on"],
                name="application_prov_names",
            ),
        ),
        migrations.RemoveIndex(
            model_name="cardapplication",
            name="application_prov_name",
        ),
    ]
