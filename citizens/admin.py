from django.contrib import admin

from .models import RecordAccess


@admin.register(RecordAccess)
class RecordAccessAdmin(admin.ModelAdmin):
    """The access log: readable by supervisors, changeable by nobody."""

    list_display = ("at", "user", "action", "search_kind", "ticket_reference", "result_count")
    list_filter = ("action", "search_kind")
    search_fields = ("user__username", "ticket_reference", "application_number")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
