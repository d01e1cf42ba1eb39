"""Django admin for versioned documents and decisions, with their history (SimpleHistoryAdmin).

Versions are published from the secretariat's pages (``services``), never edited: read-only here.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.charter.models import Decision, Document, DocumentVersion


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "body"]
    list_filter = ["kind"]
    list_select_related = ["body"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "number", "title", "published_at", "published_by"]
    list_filter = ["document__kind"]
    list_select_related = ["document__body", "published_by"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "body", "decided_on", "method", "visibility", "recorded_by"]
    list_filter = ["body", "method", "visibility"]
    list_select_related = ["body", "recorded_by"]
