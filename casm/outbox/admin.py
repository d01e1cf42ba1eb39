"""The outbox in the Django admin: read-only (staff retry failed mail from the mail page)."""

from django.contrib import admin

from casm.outbox.models import Message, Notice


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(_ReadOnly):
    list_display = ["__str__", "key", "created_at"]
    search_fields = ["key"]


@admin.register(Message)
class MessageAdmin(_ReadOnly):
    list_display = ["to", "subject", "status", "attempts", "sent_at", "failed_at"]
    list_filter = ["status"]
    search_fields = ["to", "message_id"]
    list_select_related = ["notice"]
    raw_id_fields = ["notice"]
    exclude = ["lease_token"]
