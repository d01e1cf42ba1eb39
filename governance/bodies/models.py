"""Governing and advisory bodies (SMAG, Interim Steering Committee, Board, Donor Committee, task
groups), their composition rules, their seats and the terms of office held on them.

``Seat.holder`` (with ``role``, ``term_start`` and ``term_end``) is the seat's current holder, kept
in step with the seat's current ``Term`` by the services; ``Term`` keeps every term, past and
current, so past members can be shown by term. A ``Survey`` asks a body's current members
whether they will continue to serve.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casm.content import TranslatableContent
from casm.models import TimeStampedModel
from casm.reminders import reminder_offsets_of
from casm.timezones import validate_time_zone
from network.models import Chamber, Sector


class Body(TranslatableContent, TimeStampedModel):
    """A governing or advisory body: SMAG, Interim Steering Committee, Board, Donor Committee, task group."""

    translatable_fields = ("description",)

    class Kind(models.TextChoices):
        ADVISORY_GROUP = "advisory_group", _("Advisory group")
        STEERING_COMMITTEE = "steering_committee", _("Steering committee")
        BOARD = "board", _("Board")
        DONOR_COMMITTEE = "donor_committee", _("Donor committee")
        TASK_GROUP = "task_group", _("Task group")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=160)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("reports to"),
        help_text=_("The body that appointed this one and that it reports to (a task group's committee)."),
    )

    # Composition rules: blank means no such rule. ``governance.bodies.services.composition`` checks them.
    min_size = models.PositiveSmallIntegerField(_("minimum number of members"), null=True, blank=True)
    max_size = models.PositiveSmallIntegerField(_("maximum number of members"), null=True, blank=True)
    min_per_sector = models.PositiveSmallIntegerField(
        _("at least this many from each sector"), null=True, blank=True
    )
    max_per_sector = models.PositiveSmallIntegerField(
        _("at most this many from one sector"), null=True, blank=True
    )
    min_per_chamber = models.PositiveSmallIntegerField(
        _("at least this many from each chamber"), null=True, blank=True
    )
    max_per_chamber = models.PositiveSmallIntegerField(
        _("at most this many from one chamber"), null=True, blank=True
    )
    max_per_organisation = models.PositiveSmallIntegerField(
        _("at most this many from one organisation"), null=True, blank=True
    )
    max_per_country = models.PositiveSmallIntegerField(
        _("at most this many from one country"), null=True, blank=True
    )
    term_months = models.PositiveSmallIntegerField(
        _("term of office (months)"), null=True, blank=True, help_text=_("Blank: terms have no set length.")
    )
    has_chair = models.BooleanField(_("has a chair"), default=True)
    has_vice_chair = models.BooleanField(_("has a vice-chair"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_size__isnull=True)
                | Q(max_size__isnull=True)
                | Q(min_size__lte=F("max_size")),
                name="body_min_size_lte_max_size",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="body_not_its_own_parent"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("bodies:body_detail", args=[self.slug])


class Seat(TimeStampedModel):
    """A seat on a body, for a chamber or sector (or permanent, such as the World Bank's)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    chamber = models.ForeignKey(
        Chamber, on_delete=models.PROTECT, null=True, blank=True, related_name="seats"
    )
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="seats")
    label = models.CharField(_("label"), max_length=120, blank=True)
    is_permanent = models.BooleanField(_("permanent seat"), default=False)
    holder = models.ForeignKey(
        "network.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="seats"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "chamber__order", "sector__order", "id"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")

    def __str__(self):
        return f"{self.body}: {self.label or self.chamber or self.sector or _('seat')}"


class Term(TimeStampedModel):
    """One term of office: who held which seat, in which role, from when to when.

    ``ends_on`` is the date the term is due to end (blank: no set end); ``ended_on`` is the date it
    did end (on its date, or earlier), blank while it runs. A seat has at most one running term.
    """

    class EndReason(models.TextChoices):
        EXPIRED = "expired", _("Term ended on its date")
        ENDED_EARLY = "ended_early", _("Ended early")

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="terms", verbose_name=_("seat"))
    member = models.ForeignKey(
        "network.Member", on_delete=models.PROTECT, related_name="body_terms", verbose_name=_("member")
    )
    role = models.CharField(_("role"), max_length=16, choices=Seat.Role.choices, default=Seat.Role.MEMBER)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("due to end"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("how it ended"), max_length=16, choices=EndReason.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")
        constraints = [
            models.UniqueConstraint(
                fields=["seat"], condition=Q(ended_on__isnull=True), name="term_one_running_per_seat"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("starts_on")),
                name="term_ended_after_start",
            ),
        ]
        indexes = [models.Index(fields=["ended_on", "ends_on"], name="term_running_due_idx")]

    def __str__(self):
        return f"{self.member} — {self.seat}"

    @property
    def is_running(self) -> bool:
        return self.ended_on is None

    @property
    def period(self) -> tuple:
        """(from, to): past terms are shown grouped by it."""
        return (self.starts_on, self.ended_on or self.ends_on)


# ---------------------------------------------------------------- the survey of continued service


class Survey(TimeStampedModel):
    """A survey of continued service: the current members of a body are asked whether they will go on.

    The people asked are frozen when it is sent (one ``SurveyInvitation`` each); the deadline is
    stored in UTC and enforced on the server, ``time_zone`` is the zone staff set it in.
    """

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="surveys")
    message = models.TextField(_("message to the members"), blank=True)
    deadline = models.DateTimeField(_("deadline"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    reminder_offsets = models.JSONField(_("reminders (days before the deadline)"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("survey of continued service")
        verbose_name_plural = _("surveys of continued service")

    def __str__(self):
        return f"{self.body}: {self.sent_at:%Y-%m-%d}"

    def is_open(self, now=None) -> bool:
        """Answers are taken (and may be changed) up to and including the deadline."""
        return (now or timezone.now()) <= self.deadline

    def reminder_times(self) -> list[tuple[int, datetime.datetime]]:
        """Each reminder offset (days) with the moment it falls due, the earliest first."""
        return [
            (days, self.deadline - datetime.timedelta(days=days))
            for days in reminder_offsets_of(self.reminder_offsets)
        ]


class SurveyInvitation(TimeStampedModel):
    """One member asked in one survey, and their answer (changeable until the deadline).

    ``nonce`` is bound into the member's signed link (``casm.signed_links``): the link is only good
    for this invitation. ``answered_by`` is the account that answered in the portal, empty when
    the answer came through the signed link.
    """

    class Answer(models.TextChoices):
        YES = "yes", _("Yes, I will continue to serve")
        NO = "no", _("No, I will stand down")
        UNDECIDED = "undecided", _("I have not decided yet")

    class Channel(models.TextChoices):
        LINK = "link", _("link in the mail")
        PORTAL = "portal", _("portal")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey("network.Member", on_delete=models.PROTECT, related_name="survey_invitations")
    seat = models.ForeignKey(Seat, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    nonce = models.CharField(max_length=64, editable=False)
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comments"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_via = models.CharField(_("answered through"), max_length=8, choices=Channel.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The invitation mail in the outbox, written in the same transaction as the survey.
    message = models.OneToOneField(
        "outbox.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["nonce"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "member"], name="survey_invitation_once"),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_answer_display() or _('no answer yet')}"


class SurveyReminderSent(models.Model):
    """A reminder of a survey at one offset went (or is going) to one member: claimed once.

    ``offset_days`` 0 is the reminder staff send by hand (once per person).
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reminders")
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="+")
    offset_days = models.PositiveSmallIntegerField(_("days before the deadline"))
    claimed_at = models.DateTimeField(_("queued"), auto_now_add=True)
    message = models.OneToOneField(
        "outbox.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        verbose_name = _("survey reminder")
        verbose_name_plural = _("survey reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "member", "offset_days"], name="survey_reminder_once_per_offset"
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.offset_days}"
