from django.contrib import admin

from .models import SlaTarget


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ("category", "claim_within_hours", "resolve_within_days")
