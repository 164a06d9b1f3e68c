from django.contrib import admin

from .models import Answer, AnswerRevision


class RevisionInline(admin.TabularInline):
    model = AnswerRevision
    fields = ("number", "editor", "at", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    """Read-only here: answers are edited in the product (/answers/), which keeps
    their history."""

    list_display = ("question", "category", "status", "updated_at")
    list_filter = ("status", "category")
    search_fields = ("slug", "question", "search_key")
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
