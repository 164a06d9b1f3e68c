# Image for web, worker, beat and migrate (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: compilemessages for locale/.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install .

# Translations and static files are built into the image; the key is for the build only.
RUN if find locale -name '*.po' 2>/dev/null | grep -q .; then \
        SECRET_KEY=build-only-not-secret DEBUG=false python manage.py compilemessages; \
    fi \
    && SECRET_KEY=build-only-not-secret DEBUG=false python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin hotline \
    && mkdir -p /var/run/celery \
    && chown hotline:hotline /var/run/celery

USER hotline
EXPOSE 8000
CMD ["gunicorn", "callcenter.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", \
     "--logger-class", "callcenter.logging.GunicornLogger"]
