"""Governing and advisory bodies (SMAG, Interim Steering Committee, Board, Donor Committee, task
groups), their seats, and the survey of their members' continued service."""

import datetime

from django.conf import settings
from django.db import models
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("bodies:body_detail", args=[self.slug])


class Seat(TimeStampedModel):
    """A seat on a body, for a chamber or sector (or permanent, such as the World Bank's)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
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
