"""The logging set-up settings.py uses: one console handler, JSON lines in production or
plain lines, the masking formatters of callcenter.logging (imported by name only, as
settings must not import Django)."""


def logging_config(log_format: str, level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {
                "()": "callcenter.logging.PlainFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            },
            "json": {"()": "callcenter.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # runserver's request lines through the same masking formatter.
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # Lockouts and new failures are warnings; every successful log-in is not news.
            "axes": {"level": "WARNING"},
        },
    }
