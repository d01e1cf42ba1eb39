"""Slates in the Django admin: read-only views for staff; every change goes through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.slates.models import ChairChoice, Nominee, Slate, TaskGroup


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NomineeInline(admin.TabularInline):
    model = Nominee
    fields = ("member", "role", "seat", "status", "answered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Slate)
class SlateAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "round", "status", "created_at")
    list_filter = ("status", "body")
    list_select_related = ("body",)
    inlines = [NomineeInline]


@admin.register(ChairChoice)
class ChairChoiceAdmin(ReadOnlyAdmin):
    list_display = ("body", "member", "method", "chosen_on")
    list_select_related = ("body", "member")


@admin.register(TaskGroup)
class TaskGroupAdmin(ReadOnlyAdmin):
    list_display = ("body", "consultation", "created_at")
    list_select_related = ("body", "consultation")
