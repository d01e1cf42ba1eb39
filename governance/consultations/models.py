"""Consultations: an options paper in sections, the options to weigh, and stakeholders' feedback.

Deadlines are stored in UTC and enforced on the server; ``time_zone`` is the zone the
secretariat set them in, shown beside the viewer's own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from casm.content import TranslatableContent
from casm.models import TimeStampedModel
from casm.timezones import validate_time_zone  # noqa: F401 - the migrations name it here


def default_reminder_offsets() -> list[int]:
    return [7, 1]


class ConsultationState(models.TextChoices):
    """Where a consultation stands, by its own times (a respondent's extension does not change it).

    A draft is not published; a published consultation is scheduled until ``opens_at``, open from
    ``opens_at`` up to and including ``closes_at``, closed after. ``Consultation.state_at`` says it
    in Python and ``ConsultationQuerySet.with_state`` in SQL: the one definition, twice spelt.
    """

    DRAFT = "draft", _("Draft (not published)")
    SCHEDULED = "scheduled", _("Published, not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ConsultationQuerySet(models.QuerySet):
    def with_state(self, now=None):
        """Annotate ``annotated_state``: the state at ``now``, computed by the database like ``state_at``."""
        now = now or timezone.now()
        return self.annotate(
            annotated_state=Case(
                When(is_published=False, then=Value(ConsultationState.DRAFT)),
                When(opens_at__gt=now, then=Value(ConsultationState.SCHEDULED)),
                When(closes_at__gte=now, then=Value(ConsultationState.OPEN)),
                default=Value(ConsultationState.CLOSED),
                output_field=models.CharField(max_length=16),
            )
        )

    def in_state(self, *states: str, now=None):
        """Only consultations in one of ``states`` at ``now``."""
        return self.with_state(now).filter(annotated_state__in=states)

    def published(self):
        return self.filter(is_published=True)


class Consultation(TranslatableContent, TimeStampedModel):
    """An options paper put to an audience for structured feedback before a deadline."""

    translatable_fields = ("title", "introduction")

    State = ConsultationState

    class Audience(models.TextChoices):
        ALL_ACTIVE = "all_active", _("All active members")
        CHAMBERS = "chambers", _("Active members of chosen chambers")
        INVITEES = "invitees", _("Named invitees")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction (Markdown)"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.ALL_ACTIVE
    )
    chambers = models.ManyToManyField("network.Chamber", blank=True, related_name="consultations")
    invitees = models.ManyToManyField("network.Member", blank=True, related_name="consultation_invitations")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    reminder_offsets = models.JSONField(
        _("reminder offsets (days before the deadline)"), default=default_reminder_offsets, blank=True
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ConsultationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[chambers, invitees])

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        permissions = [("view_consultation_analysis", "Can view the analysis and individual responses")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after_opening"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:consultation_detail", args=[self.slug])

    def state_at(self, now=None) -> str:
        """The state at ``now`` (by default the present): the same rule as ``with_state`` in SQL."""
        now = now or timezone.now()
        if not self.is_published:
            return ConsultationState.DRAFT
        if now < self.opens_at:
            return ConsultationState.SCHEDULED
        return ConsultationState.OPEN if now <= self.closes_at else ConsultationState.CLOSED

    @property
    def state(self) -> str:
        """The state now; on a row of ``with_state`` the one the database computed (lists sort by it)."""
        annotated = getattr(self, "annotated_state", None)
        return annotated if annotated is not None else self.state_at()

    @property
    def state_label(self) -> str:
        return ConsultationState(self.state).label


class ConsultationSection(TranslatableContent, TimeStampedModel):
    """A section of the paper: text to read and, unless it is comment-only, options to weigh."""

    translatable_fields = ("title", "body")

    class Mode(models.TextChoices):
        RANK = "rank", _("Rank the options in order of preference")
        PICK = "pick", _("Pick the options you prefer")
        COMMENT = "comment", _("Comment on the text")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True)
    mode = models.CharField(
        _("how respondents answer"), max_length=8, choices=Mode.choices, default=Mode.RANK
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["consultation", "order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title


class ConsultationOption(TranslatableContent, TimeStampedModel):
    """An option of a section (Program Option A, Governance Option 3, …). Answers point to it by id."""

    translatable_fields = ("title", "description")

    section = models.ForeignKey(ConsultationSection, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=12)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (Markdown)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "order", "id"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="option_code_unique_in_section")
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Response(TimeStampedModel):
    """One respondent's feedback on a consultation: a draft until submitted, revisable until the deadline.

    Who responded is copied at submission (chamber, sector, country, organisation type) so the
    analysis counts in the database without joins and stays true if a member later moves.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(
        "network.Member", on_delete=models.CASCADE, related_name="consultation_responses"
    )
    on_behalf_of = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_responses",
        verbose_name=_("on behalf of"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    is_public = models.BooleanField(_("publish my response"), default=False)
    general_comments = models.TextField(_("general comments"), blank=True)
    chamber = models.ForeignKey("network.Chamber", on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey("network.Sector", on_delete=models.PROTECT, related_name="+")
    country = CountryField(_("country"))
    org_type = models.CharField(_("organisation type"), max_length=24, blank=True)
    # A revision of a submitted response saved as a draft: the answer as ``response_save`` takes it
    # (``services.responses.values_to_json``). The submitted answer rows stay in force, and are what
    # the analysis, public responses and exports count, until the revision is submitted.
    revision_draft = models.JSONField(_("unsent revision"), null=True, blank=True)
    revision_saved_at = models.DateTimeField(_("revision saved"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "member"], name="response_one_per_member"),
            # One official response per organisation: a database rule, so it holds under races.
            models.UniqueConstraint(
                fields=["consultation", "on_behalf_of"],
                condition=Q(on_behalf_of__isnull=False),
                name="response_one_official_per_organisation",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self):
        return f"{self.member} on {self.consultation}"


class SectionAnswer(models.Model):
    """What a respondent said about one section: the rationale for their preferences, or a comment."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    section = models.ForeignKey(ConsultationSection, on_delete=models.PROTECT, related_name="answers")
    rationale = models.TextField(_("rationale"), blank=True)

    class Meta:
        verbose_name = _("section answer")
        verbose_name_plural = _("section answers")
        constraints = [models.UniqueConstraint(fields=["response", "section"], name="answer_one_per_section")]

    def __str__(self):
        return f"{self.response} / {self.section}"


class OptionPreference(models.Model):
    """A preferred option; ``rank`` 1 is the first choice (every pick is rank 1 in pick sections)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="preferences")
    option = models.ForeignKey(ConsultationOption, on_delete=models.PROTECT, related_name="preferences")
    section = models.ForeignKey(ConsultationSection, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["section", "rank"]
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        constraints = [
            models.UniqueConstraint(fields=["response", "option"], name="preference_once_per_option")
        ]
        indexes = [models.Index(fields=["option", "rank"])]

    def __str__(self):
        return f"{self.option} #{self.rank}"


class UnclearFlag(models.Model):
    """The respondent found an option unclear, and says what is unclear."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="unclear_flags")
    option = models.ForeignKey(ConsultationOption, on_delete=models.PROTECT, related_name="unclear_flags")
    text = models.TextField(_("what is unclear"))

    class Meta:
        verbose_name = _("unclear flag")
        verbose_name_plural = _("unclear flags")
        constraints = [models.UniqueConstraint(fields=["response", "option"], name="unclear_once_per_option")]

    def __str__(self):
        return f"Unclear: {self.option}"


class ProposedOption(models.Model):
    """A new or additional option a respondent proposes, for a section or the paper as a whole."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="proposed_options")
    section = models.ForeignKey(
        ConsultationSection, on_delete=models.PROTECT, null=True, blank=True, related_name="proposed_options"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("proposed option")
        verbose_name_plural = _("proposed options")

    def __str__(self):
        return self.title


class ExtensionRequest(TimeStampedModel):
    """A respondent asks for more time; staff grant a personal deadline or decline with a reply."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the secretariat")
        GRANTED = "granted", _("Granted")
        DECLINED = "declined", _("Declined")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="extension_requests"
    )
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="extension_requests")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    granted_until = models.DateTimeField(_("personal deadline"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request for more time")
        verbose_name_plural = _("requests for more time")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "member"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"


class ReminderSent(models.Model):
    """A reminder at one offset went (or is going) to one person: claimed once, so never sent twice."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="reminders")
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="+")
    offset_days = models.PositiveSmallIntegerField(_("days before the deadline"))
    claimed_at = models.DateTimeField(_("queued"), auto_now_add=True)
    # The mail in the outbox, written in the same transaction as the claim; its status says whether it left.
    message = models.OneToOneField(
        "outbox.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "member", "offset_days"], name="reminder_once_per_offset"
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.offset_days} days before"


class ReminderOptOut(models.Model):
    """The person asked to stop reminders for this consultation (one click from the mail)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opt_outs")
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder opt-out")
        verbose_name_plural = _("reminder opt-outs")
        constraints = [models.UniqueConstraint(fields=["consultation", "member"], name="opt_out_once")]

    def __str__(self):
        return f"{self.member} stopped reminders"


class PublicationNoticeSent(models.Model):
    """The audience member was told the consultation is published: claimed once, so never sent twice.

    The row is the claim (unique per consultation and member), written before the mail leaves; a
    second publication (unpublished, then published again) finds it and tells nobody twice.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="publication_notices"
    )
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(_("queued"), auto_now_add=True)
    # The mail in the outbox, written in the same transaction as the claim; its status says whether it left.
    message = models.OneToOneField(
        "outbox.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name = _("publication notice")
        verbose_name_plural = _("publication notices")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "member"], name="publication_notice_once"),
        ]

    def __str__(self):
        return f"{self.member}: told of {self.consultation}"
