"""Read-side queries of the reprints app, shared by pages, API and dashboard."""

from django.db.models import Count

from .models import ReprintBatch


def batches():
    """Batches, newest first, each with its item count."""
    return ReprintBatch.objects.annotate(item_count=Count("items")).order_by("-number")
