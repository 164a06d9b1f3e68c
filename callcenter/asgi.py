"""ASGI entry point: the wallboard's event stream (server-sent events) needs it; the
rest of the product runs under gunicorn's WSGI workers as well."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")

application = get_asgi_application()
