"""The CASM network: accounts, the membership structure (chambers, sectors, sub-chambers),
organisations, members, memberships, pledges."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from casm.content import TranslatableContent
from casm.models import TimeStampedModel

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """An account. People log in by email; the person's network record is ``member``."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email


class AccountRoleChange(models.Model):
    """Who changed an account's staff, superuser or group rights, when, and from what to what.

    Written only by ``network.services.accounts.account_roles_set``; shown read-only on the
    account's admin page.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_changes",
        verbose_name=_("account"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change of account rights")
        verbose_name_plural = _("changes of account rights")

    def __str__(self):
        return f"{self.user} ({self.changed_at:%Y-%m-%d %H:%M})"


# ---------------------------------------------------------------- the membership structure (§1, §5 Option 3)


class Chamber(TranslatableContent, TimeStampedModel):
    """What votes: three or four chambers, each grouping one or more sectors."""

    translatable_fields = ("name", "description")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("chamber")
        verbose_name_plural = _("chambers")

    def __str__(self):
        return self.name

    def localized_name(self) -> str:
        """The name in the reader's language (the English original when untranslated): a label, no note."""
        return str(self.localized("name"))


class SubChamber(TranslatableContent, TimeStampedModel):
    """An optional division of a chamber (for example North / South)."""

    translatable_fields = ("name",)

    chamber = models.ForeignKey(Chamber, on_delete=models.CASCADE, related_name="sub_chambers")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["chamber__order", "order", "name"]
        verbose_name = _("sub-chamber")
        verbose_name_plural = _("sub-chambers")
        constraints = [
            models.UniqueConstraint(fields=["chamber", "code"], name="subchamber_code_unique_in_chamber"),
        ]

    def __str__(self):
        return f"{self.chamber} — {self.name}"

    def localized_name(self) -> str:
        """"Chamber — Sub-chamber" in the reader's language, as ``__str__`` is in the original's."""
        return f"{self.chamber.localized_name()} — {self.localized('name')}"


class Sector(TranslatableContent, TimeStampedModel):
    """One of the five sectors of §1; staff decide which chamber each one sits in."""

    translatable_fields = ("name", "description")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    chamber = models.ForeignKey(Chamber, on_delete=models.PROTECT, related_name="sectors")
    requires_mining_pledge = models.BooleanField(
        _("members affirm the responsible-mining commitment"),
        default=False,
        help_text=_("Set for the sector of small-scale miners and their representatives (§3 Option A)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name

    def localized_name(self) -> str:
        """The name in the reader's language (the English original when untranslated): a label, no note."""
        return str(self.localized("name"))


# ---------------------------------------------------------------- organisations and members


class Organisation(TimeStampedModel):
    """An organisation of the stakeholder map (§2)."""

    class Type(models.TextChoices):
        MINERS_GROUP = "miners_group", _("Small-scale miners' group or association")
        ASM_MINISTRY = "asm_ministry", _("Ministry or agency of an ASM country")
        AID_AGENCY = "aid_agency", _("Aid, development or other agency of a developed country")
        LSM_COMPANY = "lsm_company", _("Large-scale mining company or association")
        SUPPLY_CHAIN = "supply_chain", _("Manufacturer, retailer, trader or refiner")
        ADVOCACY_NGO = "advocacy_ngo", _("Development, human-rights, environmental or advocacy NGO")
        SERVICE_NGO = "service_ngo", _("Service NGO or consultant")
        INVESTOR = "investor", _("Investor in small mechanised mining")
        OTHER = "other", _("Other")

    class Size(models.TextChoices):
        MICRO = "micro", _("Fewer than 10 people")
        SMALL = "small", _("10 to 49 people")
        MEDIUM = "medium", _("50 to 249 people")
        LARGE = "large", _("250 people or more")

    name = models.CharField(_("name"), max_length=200)
    org_type = models.CharField(_("organisation type"), max_length=24, choices=Type.choices)
    country = CountryField(_("country"))
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, default=Size.SMALL)
    website = models.URLField(_("website"), blank=True)
    contact = models.ForeignKey(
        "network.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_for",
        verbose_name=_("official contact"),
        help_text=_("The member who may answer consultations on the organisation's behalf."),
    )
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(Lower("name"), "country", name="organisation_name_country_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:staff_organisation_detail", args=[self.pk])


class CountryIncomeGroup(TimeStampedModel):
    """The income group staff assign to a country, an input of the means test."""

    class Group(models.TextChoices):
        LOW = "low", _("Low income")
        LOWER_MIDDLE = "lower_middle", _("Lower-middle income")
        UPPER_MIDDLE = "upper_middle", _("Upper-middle income")
        HIGH = "high", _("High income")

    country = CountryField(_("country"), unique=True)
    group = models.CharField(_("income group"), max_length=16, choices=Group.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country"]
        verbose_name = _("country income group")
        verbose_name_plural = _("country income groups")

    def __str__(self):
        return f"{self.country.name}: {self.get_group_display()}"


class FeeTier(models.TextChoices):
    NO_FEE = "no_fee", _("No fee")
    MEANS_TESTED = "means_tested", _("Means-tested")
    STANDARD = "standard", _("Standard")


class MeansTestRule(TimeStampedModel):
    """One rule of the means test. Rules are tried in priority order; the first match sets the tier.

    A blank condition matches anything. ``max_size`` matches organisations of that size or smaller.
    """

    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    name = models.CharField(_("name"), max_length=120)
    org_type = models.CharField(
        _("organisation type"), max_length=24, choices=Organisation.Type.choices, blank=True
    )
    income_group = models.CharField(
        _("country income group"), max_length=16, choices=CountryIncomeGroup.Group.choices, blank=True
    )
    max_size = models.CharField(
        _("organisation size at most"), max_length=8, choices=Organisation.Size.choices, blank=True
    )
    tier = models.CharField(_("fee tier"), max_length=16, choices=FeeTier.choices)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("means-test rule")
        verbose_name_plural = _("means-test rules")

    def __str__(self):
        return self.name


class Member(TimeStampedModel):
    """A person in the network. The account (``user``) may come later, for invited or imported people."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="member"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    country = CountryField(_("country"))
    sector = models.ForeignKey("network.Sector", on_delete=models.PROTECT, related_name="members")
    sub_chamber = models.ForeignKey(
        "network.SubChamber", on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    role = models.CharField(_("role or position"), max_length=160, blank=True)
    listed_in_directory = models.BooleanField(_("listed in the members' directory"), default=False)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(Lower("email"), name="member_email_unique")]
        indexes = [models.Index(fields=["country"]), models.Index(Lower("full_name"), name="member_name_idx")]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("network:staff_member_detail", args=[self.pk])

    def clean(self):
        super().clean()
        # A sub-chamber divides one chamber: the member's must be one of their sector's chamber.
        if self.sector_id and self.sub_chamber_id and self.sub_chamber.chamber_id != self.sector.chamber_id:
            raise ValidationError(
                {
                    "sub_chamber": _(
                        "The sub-chamber %(sub_chamber)s belongs to the %(chamber)s, not to the chamber "
                        "of the sector %(sector)s."
                    )
                    % {
                        "sub_chamber": self.sub_chamber.name,
                        "chamber": self.sub_chamber.chamber.name,
                        "sector": self.sector.name,
                    }
                }
            )

    @property
    def chamber(self):
        return self.sector.chamber


class Membership(TimeStampedModel):
    """A member's standing in the network: status with a reason for each change, term and fee tier."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")
        REJECTED = "rejected", _("Rejected")

    # Who is asked to affirm the pledges in force: members and applicants, not those who lapsed,
    # were suspended, left or were turned down.
    PLEDGE_BOUND_STATUSES = (Status.APPLIED, Status.ACTIVE)

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="membership")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.APPLIED)
    status_reason = models.CharField(_("reason for the last status change"), max_length=500, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    information_request = models.TextField(_("information requested by the secretariat"), blank=True)
    information_reply = models.TextField(_("applicant's reply"), blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    fee_tier = models.CharField(
        _("fee tier"), max_length=16, choices=FeeTier.choices, default=FeeTier.STANDARD
    )
    fee_rule = models.ForeignKey(
        MeansTestRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["status", "term_end"])]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"

    @property
    def bound_by_pledges(self) -> bool:
        return self.status in self.PLEDGE_BOUND_STATUSES

    @property
    def awaiting_reply(self) -> bool:
        return (
            self.status == self.Status.APPLIED
            and bool(self.information_request)
            and not self.information_reply
        )


class Pledge(TranslatableContent, TimeStampedModel):
    """One published version of a commitment text. The newest version of each kind is in force."""

    translatable_fields = ("title", "text")

    class Kind(models.TextChoices):
        PARTICIPATION = "participation", _("Participation commitment")
        RESPONSIBLE_MINING = "responsible_mining", _("Responsible mining practice commitment")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("pledge version")
        verbose_name_plural = _("pledge versions")
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="pledge_kind_version_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class PledgeAffirmation(models.Model):
    """A member affirmed one version of a pledge."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="affirmations")
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="affirmations")
    affirmed_at = models.DateTimeField(_("affirmed"), auto_now_add=True)

    class Meta:
        ordering = ["-affirmed_at"]
        verbose_name = _("pledge affirmation")
        verbose_name_plural = _("pledge affirmations")
        constraints = [
            models.UniqueConstraint(fields=["member", "pledge"], name="affirmation_once_per_version"),
        ]

    def __str__(self):
        return f"{self.member} affirmed {self.pledge}"


class Invitation(TimeStampedModel):
    """Staff invited a person by email; following the link sets a password and opens their record.

    Only a hash of the token is stored, so the table does not hold usable links.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"Invitation for {self.member}"


class ImportJob(TimeStampedModel):
    """A CSV import of members: validated whole, then applied whole (all-or-nothing)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused: nothing was imported")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.TextField(_("file content"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("network:staff_import_detail", args=[self.pk])


class OrganisationChangeRequest(TimeStampedModel):
    """A member asks the secretariat to move them to another organisation (which can change the fee
    tier): an organisation already known, or a new one described by name, type, country and size."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the secretariat")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="organisation_requests")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested organisation"),
    )
    new_name = models.CharField(_("new organisation's name"), max_length=200, blank=True)
    new_org_type = models.CharField(
        _("new organisation's type"), max_length=24, choices=Organisation.Type.choices, blank=True
    )
    new_country = CountryField(_("new organisation's country"), blank=True)
    new_size = models.CharField(
        _("new organisation's size"), max_length=8, choices=Organisation.Size.choices, blank=True
    )
    note = models.TextField(_("note from the member"), max_length=2000, blank=True)
    previous_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation when asked"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("organisation change request")
        verbose_name_plural = _("organisation change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="organisation_request_one_pending_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.requested_name}"

    def get_absolute_url(self):
        return reverse("network:staff_organisation_request", args=[self.pk])

    def clean(self):
        super().clean()
        if self.organisation_id is None:
            missing = {
                name: _("Needed for a new organisation.")
                for name in ("new_name", "new_org_type", "new_country", "new_size")
                if not getattr(self, name)
            }
            if missing:
                raise ValidationError(missing)

    @property
    def requested_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.new_name

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
