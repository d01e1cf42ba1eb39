"""Django admin for the network app.

Day-to-day administration happens on the secretariat's pages, which go through the services.
Here, records whose changes are rules (membership status and fee tier, published pledges,
affirmations, invitations, imports) are read-only; history shows through SimpleHistoryAdmin.
A member saved here goes through ``member_save``, which keeps the fee tier in step.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from casm.content import translations_admin_form, translations_fieldset
from network.models import (
    AccountRoleChange,
    Chamber,
    CountryIncomeGroup,
    ImportJob,
    Invitation,
    MeansTestRule,
    Member,
    Membership,
    Organisation,
    OrganisationChangeRequest,
    Pledge,
    PledgeAffirmation,
    Sector,
    SubChamber,
    User,
)
from network.permissions import can_administer_account, can_set_account_roles
from network.services.accounts import account_roles_set
from network.services.members import member_save


class ReadOnlyAdminMixin:
    """Visible to staff, changed only through the portal's services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccountRoleChangeInline(admin.TabularInline):
    """Who changed this account's rights, when, from what to what (written by ``account_roles_set``)."""

    model = AccountRoleChange
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "before", "after", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("changes of rights")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Rights an account holds: changed by superusers only, through ``account_roles_set``.
ROLE_FIELDS = ["is_staff", "is_superuser", "groups"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts log in by email: Django's UserAdmin without the username.

    Staff, superuser and group rights are read-only except to superusers, whose changes go
    through ``account_roles_set`` (recorded, shown below the form). Rights come through groups:
    individual permissions are read-only for everyone. An account holding rights can be edited
    only by a superuser (whoever changes its email or password could take them).
    """

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]}),
    ]
    inlines = [AccountRoleChangeInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new account has no changes yet

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "user_permissions"]
        if not can_set_account_roles(request.user):
            fields += ROLE_FIELDS
        return fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_administer_account(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can_administer_account(request.user, obj)

    def save_model(self, request, obj, form, change):
        if change and any(name in form.cleaned_data for name in ROLE_FIELDS):
            # The flags are set by the service in save_related, which records the change.
            stored = User.objects.get(pk=obj.pk)
            obj.is_staff, obj.is_superuser = stored.is_staff, stored.is_superuser
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        roles = {name: data.pop(name) for name in ROLE_FIELDS if name in data}  # not saved by the form
        super().save_related(request, form, formsets, change)
        if change and roles:
            account_roles_set(
                actor=request.user,
                user=form.instance,
                is_staff=roles.get("is_staff", form.instance.is_staff),
                is_superuser=roles.get("is_superuser", form.instance.is_superuser),
                groups=roles["groups"] if "groups" in roles else form.instance.groups.all(),
                reason="Changed in the admin",
            )


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "org_type", "country", "size", "is_fictional"]
    list_filter = ["org_type", "size", "is_fictional", "country"]
    search_fields = ["name"]


@admin.register(CountryIncomeGroup)
class CountryIncomeGroupAdmin(SimpleHistoryAdmin):
    list_display = ["country", "group", "updated_at"]
    list_filter = ["group"]
    search_fields = ["country"]


@admin.register(MeansTestRule)
class MeansTestRuleAdmin(SimpleHistoryAdmin):
    list_display = ["priority", "name", "org_type", "income_group", "max_size", "tier", "is_active"]
    list_display_links = ["name"]
    list_filter = ["tier", "is_active", "org_type", "income_group"]
    search_fields = ["name"]
    ordering = ["priority", "id"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    fields = [
        "status",
        "status_reason",
        "status_changed_at",
        "term_start",
        "term_end",
        "fee_tier",
        "fee_rule",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = [
        "full_name",
        "email",
        "organisation",
        "country",
        "sector",
        "membership_status",
        "is_fictional",
    ]
    list_filter = ["membership__status", "sector", "sector__chamber", "is_fictional", "country"]
    search_fields = ["full_name", "email", "organisation__name"]
    list_select_related = ["organisation", "sector", "membership"]
    autocomplete_fields = ["organisation", "user"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        # The service validates, records history and recomputes the fee tier when it depends on the change.
        member_save(
            member=obj, actor=request.user, reason="Changed in the admin" if change else "Added in the admin"
        )

    @admin.display(description=_("status"), ordering="membership__status")
    def membership_status(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_status_display() if membership else "—"


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    """Status, term and fee tier change on the member's staff page, where a reason is required."""

    list_display = ["member", "status", "term_start", "term_end", "fee_tier", "fee_rule", "applied_at"]
    list_filter = ["status", "fee_tier", "member__sector__chamber"]
    search_fields = ["member__full_name", "member__email"]
    list_select_related = ["member", "fee_rule"]
    date_hierarchy = "applied_at"
    readonly_fields = [
        "member",
        "status",
        "status_reason",
        "status_changed_at",
        "applied_at",
        "term_start",
        "term_end",
        "fee_tier",
        "fee_rule",
        "information_request",
        "information_reply",
    ]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Published versions never change: staff publish a new one from the secretariat's pages."""

    list_display = ["kind", "version", "title", "published_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "text"]
    list_select_related = ["published_by"]


@admin.register(PledgeAffirmation)
class PledgeAffirmationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["member", "pledge", "affirmed_at"]
    list_filter = ["pledge__kind", "pledge"]
    search_fields = ["member__full_name", "member__email"]
    list_select_related = ["member", "pledge"]
    date_hierarchy = "affirmed_at"


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["member", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["accepted_at"]
    search_fields = ["member__full_name", "member__email"]
    list_select_related = ["member", "invited_by"]
    exclude = ["token_hash"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "status", "created_by", "created_at", "created_count", "updated_count"]
    list_filter = ["status"]
    search_fields = ["filename"]
    list_select_related = ["created_by"]
    exclude = ["content"]


# ---------------------------------------------------------------- the membership structure


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
    form = translations_admin_form(Chamber, Chamber.translatable_fields)
    fieldsets = [
        (None, {"fields": ["code", "name", "description", "order", "content_language"]}),
        translations_fieldset(Chamber.translatable_fields),
    ]


@admin.register(SubChamber)
class SubChamberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "chamber", "code", "order"]
    list_filter = ["chamber"]
    search_fields = ["name", "code"]
    list_select_related = ["chamber"]
    form = translations_admin_form(SubChamber, SubChamber.translatable_fields)
    fieldsets = [
        (None, {"fields": ["chamber", "code", "name", "order", "content_language"]}),
        translations_fieldset(SubChamber.translatable_fields),
    ]


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "chamber", "code", "requires_mining_pledge", "order"]
    list_filter = ["chamber", "requires_mining_pledge"]
    search_fields = ["name", "code"]
    list_select_related = ["chamber"]
    prepopulated_fields = {"code": ["name"]}
    form = translations_admin_form(Sector, Sector.translatable_fields)
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "name",
                    "description",
                    "chamber",
                    "requires_mining_pledge",
                    "order",
                    "content_language",
                ]
            },
        ),
        translations_fieldset(Sector.translatable_fields),
    ]


@admin.register(OrganisationChangeRequest)
class OrganisationChangeRequestAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Decided on the secretariat's pages (the fee tier follows the means test there)."""

    list_display = ["member", "status", "organisation", "new_name", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["member__full_name", "member__email", "new_name", "organisation__name"]
    list_select_related = ["member", "organisation", "decided_by"]
