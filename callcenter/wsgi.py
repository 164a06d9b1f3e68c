import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "callcenter.settings")
# A request waits at most this long for one database statement (settings), under
# gunicorn's 30-second worker timeout; docker-compose.yml sets it for web and events too
# (a gunicorn logger class reads the settings before this module is imported).
os.environ.setdefault("DB_STATEMENT_TIMEOUT", "25")
application = get_wsgi_application()
