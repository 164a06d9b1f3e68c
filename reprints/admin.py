from django.contrib import admin

from .models import ReprintPolicy, SmsMessage


@admin.register(ReprintPolicy)
class ReprintPolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "interval_days")


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "ticket_reference", "status", "attempts")
    list_filter = ("status",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
