import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
POST_FORM = re.compile(r"<form\b[^>]*\bmethod=[\"']post[\"'][^>]*>(.*?)</form>", re.S | re.I)


def post_forms():
    return [
        pytest.param(match.group(1), id=f"{template.relative_to(TEMPLATES)}#{number}")
        for template in sorted(TEMPLATES.rglob("*.html"))
        for number, match in enumerate(POST_FORM.finditer(template.read_text()), 1)
    ]


def test_templates_have_post_forms():
    assert len(post_forms()) >= 10


@pytest.mark.parametrize("form_body", post_forms())
def test_every_post_form_carries_the_csrf_token(form_body):
    assert "{% csrf_token %}" in form_body
