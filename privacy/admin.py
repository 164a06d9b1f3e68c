from django.contrib import admin

from .models import AccessDigest, ErasureRun, SubjectRequest


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubjectRequest)
class SubjectRequestAdmin(ReadOnly):
    list_display = ("at", "actor", "kind", "reason")
    list_filter = ("kind",)


@admin.register(ErasureRun)
class ErasureRunAdmin(ReadOnly):
    list_display = ("at", "resolved_before", "counts")


@admin.register(AccessDigest)
class AccessDigestAdmin(ReadOnly):
    list_display = ("day", "built_at")
