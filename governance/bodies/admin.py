"""Django admin for bodies, seats and terms, with their history (SimpleHistoryAdmin).

Staff change bodies, seats and terms through the secretariat's pages (services with history and
rules); the admin is for reading and for repairs.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from casm.content import translations_admin_form, translations_fieldset
from governance.bodies.models import Body, Seat, Survey, SurveyInvitation, Term


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    fields = ["label", "chamber", "sector", "role", "is_permanent", "holder", "term_start", "term_end"]
    autocomplete_fields = ["holder"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "min_size", "max_size", "is_active", "order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]
    inlines = [SeatInline]
    form = translations_admin_form(Body, Body.translatable_fields)
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "short_name",
                    "slug",
                    "kind",
                    "parent",
                    "description",
                    "content_language",
                    "is_active",
                    "order",
                ]
            },
        ),
        (
            _("Composition rules"),
            {
                "fields": [
                    ("min_size", "max_size"),
                    ("min_per_sector", "max_per_sector"),
                    ("min_per_chamber", "max_per_chamber"),
                    ("max_per_organisation", "max_per_country"),
                    "term_months",
                    ("has_chair", "has_vice_chair"),
                ]
            },
        ),
        translations_fieldset(Body.translatable_fields),
    ]


class TermInline(admin.TabularInline):
    model = Term
    extra = 0
    fields = ["member", "role", "starts_on", "ends_on", "ended_on", "end_reason"]
    autocomplete_fields = ["member"]


@admin.register(Seat)
class SeatAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "body", "chamber", "sector", "holder", "role", "is_permanent", "term_end"]
    list_filter = ["body", "chamber", "role", "is_permanent"]
    search_fields = ["label", "body__name", "holder__full_name"]
    list_select_related = ["body", "chamber", "sector", "holder"]
    autocomplete_fields = ["holder"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["member", "seat", "role", "starts_on", "ends_on", "ended_on", "end_reason"]
    list_filter = ["seat__body", "role", "end_reason"]
    search_fields = ["member__full_name", "seat__label", "seat__body__name"]
    list_select_related = ["member", "seat__body"]
    autocomplete_fields = ["member"]
    date_hierarchy = "starts_on"


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
