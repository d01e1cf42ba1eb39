"""Django admin for chambers, sectors, bodies and seats, with their history (SimpleHistoryAdmin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.models import Body, Chamber, Seat, Sector, SubChamber


class SubChamberInline(admin.TabularInline):
    model = SubChamber
    extra = 0
    fields = ["code", "name", "order"]


class SectorInline(admin.TabularInline):
    model = Sector
    extra = 0
    fields = ["code", "name", "order", "requires_mining_pledge"]
    show_change_link = True


@admin.register(Chamber)
class ChamberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [SectorInline, SubChamberInline]


@admin.register(SubChamber)
class SubChamberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "chamber", "code", "order"]
    list_filter = ["chamber"]
    search_fields = ["name", "code"]
    list_select_related = ["chamber"]


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "chamber", "code", "requires_mining_pledge", "order"]
    list_filter = ["chamber", "requires_mining_pledge"]
    search_fields = ["name", "code"]
    list_select_related = ["chamber"]
    prepopulated_fields = {"code": ["name"]}


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
