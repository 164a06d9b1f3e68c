import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
# A request waits at most this long for one database statement (settings).
os.environ.setdefault("DB_STATEMENT_TIMEOUT", "30")
application = get_wsgi_application()
