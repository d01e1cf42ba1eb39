"""Django admin for bodies and seats, with their history (SimpleHistoryAdmin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casm.content import translations_admin_form, translations_fieldset
from governance.bodies.models import Body, Seat


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
                    "description",
                    "content_language",
                    "is_active",
                    "order",
                ]
            },
        ),
        translations_fieldset(Body.translatable_fields),
    ]


@admin.register(Seat)
class SeatAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "body", "chamber", "sector", "holder", "role", "is_permanent", "term_end"]
    list_filter = ["body", "chamber", "role", "is_permanent"]
    search_fields = ["label", "body__name", "holder__full_name"]
    list_select_related = ["body", "chamber", "sector", "holder"]
    autocomplete_fields = ["holder"]
