from django.apps import AppConfig


class PbxConfig(AppConfig):
    """The PBX bridges (SPEC §11): no models, no pages; /healthz reports them."""

    name = "pbx"

    def ready(self):
        from callcenter.hooks import health_parts

        from . import health

        health_parts.connect(health.report)
