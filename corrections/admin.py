from django.contrib import admin

from .models import CorrectionRequest


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    """Read-only: requests change through the ticket page and the correction lists."""

    list_display = ("id", "application", "field", "status", "requested_at")
    list_filter = ("status", "field")
    raw_id_fields = ("application",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
