"""Django admin for bodies and seats, with their history (SimpleHistoryAdmin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.bodies.models import Body, Seat, Survey, SurveyInvitation


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    fields = ["label", "chamber", "sector", "role", "is_permanent", "holder", "term_start", "term_end"]
    autocomplete_fields = ["holder"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "is_active", "order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "body", "chamber", "sector", "holder", "role", "is_permanent", "term_end"]
    list_filter = ["body", "chamber", "role", "is_permanent"]
    search_fields = ["label", "body__name", "holder__full_name"]
    list_select_related = ["body", "chamber", "sector", "holder"]
    autocomplete_fields = ["holder"]


@admin.register(Survey)
class SurveyAdmin(SimpleHistoryAdmin):
    """Read-only: surveys are sent and answered through their services (mail, links, history)."""

    list_display = ["body", "sent_at", "deadline", "time_zone"]
    list_select_related = ["body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(SimpleHistoryAdmin):
    list_display = ["member", "survey", "answer", "answered_at", "answered_via"]
    list_filter = ["answer"]
    list_select_related = ["member", "survey__body"]
    exclude = ["nonce"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
