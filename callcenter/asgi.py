"""ASGI entry point: the wallboard's event stream (server-sent events) needs it; the
rest of the product runs under gunicorn's WSGI workers as well."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
# A request waits at most this long for one database statement (settings).
os.environ.setdefault("DB_STATEMENT_TIMEOUT", "30")

application = get_asgi_application()
