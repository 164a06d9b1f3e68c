from django.contrib import admin

from .models import Callback


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ("phone", "status", "missed_calls", "attempts", "first_missed_at", "holder")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Callback._meta.fields]

    def has_add_permission(self, request):
        return False
