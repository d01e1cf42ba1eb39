"""Slates of nominees for a body, their endorsement by the network, and their constitution (§1, §5, §8).

A ``Slate`` proposes members for a target body (the Interim Steering Committee, later the Board).
Each ``Nominee`` is asked to accept. A slate whose nominees all accepted and which meets the body's
composition rules (``governance.bodies.services.composition``) can go to an ``EndorsementWindow``:
the audience (all active members, or chosen chambers) is invited, each member answers once
(``EndorsementAnswer``: endorse, object with a comment, or abstain) through a signed link or in the
portal, and at the close the outcome is computed once (``governance.slates.outcome``) and recorded
with its figures per chamber. An endorsed slate is constituted: its nominees take the body's seats
for a term. A slate that failed is revised as a new round (``previous``), and both stay visible.

Staff see turnout by chamber while a window is open, never who said what: answers have no history
table and the pages show counts only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casm.models import TimeStampedModel


class Slate(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being composed")
        ENDORSEMENT = "endorsement", _("Out for endorsement")
        ENDORSED = "endorsed", _("Endorsed")
        NOT_ENDORSED = "not_endorsed", _("Not endorsed")
        CONSTITUTED = "constituted", _("Constituted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    body = models.ForeignKey(
        "bodies.Body", on_delete=models.PROTECT, related_name="slates", verbose_name=_("body")
    )
    proposed_by = models.ForeignKey(
        "bodies.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_slates",
        verbose_name=_("proposed by"),
        help_text=_("The body entitled to propose this slate; blank when the secretariat composes it."),
    )
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision",
        verbose_name=_("previous round"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    term_starts_on = models.DateField(_("term starts"), null=True, blank=True)
    constituted_at = models.DateTimeField(_("constituted"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("slate")
        verbose_name_plural = _("slates")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("slates:slate_detail", args=[self.pk])


class Nominee(TimeStampedModel):
    """A member proposed on a slate, for a role; asked to accept before the slate goes further."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        OBSERVER = "observer", _("Observer")

    slate = models.ForeignKey(
        Slate, on_delete=models.CASCADE, related_name="nominees", verbose_name=_("slate")
    )
    member = models.ForeignKey(
        "network.Member", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("member")
    )
    seat = models.ForeignKey(
        "bodies.Seat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominees",
        verbose_name=_("seat"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("answer"), max_length=16, choices=Status.choices, default=Status.PENDING)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    asked_at = models.DateTimeField(_("asked"), null=True, blank=True)
    nonce = models.CharField(max_length=32, blank=True)  # of the signed link in the request to accept
    message = models.OneToOneField(
        "outbox.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["nonce"])  # the link's secret stays out of the history

    class Meta:
        ordering = ["slate", "id"]
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        constraints = [
            models.UniqueConstraint(fields=["slate", "member"], name="nominee_once_per_slate"),
        ]

    def __str__(self):
        return f"{self.member} ({self.slate})"


class EndorsementWindow(TimeStampedModel):
    """The network's endorsement of one slate: audience, deadline in a named zone, rule, outcome."""

    class Audience(models.TextChoices):
        ALL_ACTIVE = "all_active", _("All active members")
        CHAMBERS = "chambers", _("Active members of chosen chambers")

    class Rule(models.TextChoices):
        OBJECTION_THRESHOLD = (
            "objection_threshold",
            _("Endorsed unless objections reach a share of the answers"),
        )
        MAJORITY_EVERY_CHAMBER = "majority_every_chamber", _("A majority of the answers in every chamber")

    class Outcome(models.TextChoices):
        ENDORSED = "endorsed", _("Endorsed")
        NOT_ENDORSED = "not_endorsed", _("Not endorsed")

    slate = models.OneToOneField(
        Slate, on_delete=models.PROTECT, related_name="window", verbose_name=_("slate")
    )
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.ALL_ACTIVE
    )
    chambers = models.ManyToManyField(
        "network.Chamber", blank=True, related_name="+", verbose_name=_("chambers")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    reminder_offsets = models.JSONField(_("reminders (days before the close)"), default=list, blank=True)
    rule = models.CharField(_("rule"), max_length=32, choices=Rule.choices, default=Rule.OBJECTION_THRESHOLD)
    # The share of the answers that objections must reach to stop the slate: numerator / denominator.
    objection_numerator = models.PositiveSmallIntegerField(_("objections: numerator"), default=1)
    objection_denominator = models.PositiveSmallIntegerField(_("objections: denominator"), default=3)
    min_turnout_percent = models.PositiveSmallIntegerField(_("minimum turnout (%)"), default=0)
    answers_can_change = models.BooleanField(
        _("members may change their answer before the close"), default=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.CharField(_("why"), max_length=40, blank=True)
    outcome_figures = models.JSONField(_("figures"), default=dict, blank=True)
    outcome_computed_at = models.DateTimeField(_("counted"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[chambers])

    class Meta:
        ordering = ["-closes_at", "-id"]
        verbose_name = _("endorsement window")
        verbose_name_plural = _("endorsement windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="window_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(objection_numerator__gte=1)
                & Q(objection_numerator__lte=models.F("objection_denominator")),
                name="window_objection_share_in_range",
            ),
            models.CheckConstraint(condition=Q(min_turnout_percent__lte=100), name="window_turnout_percent"),
        ]
        indexes = [models.Index(fields=["outcome_computed_at", "closes_at"], name="window_due_idx")]

    def __str__(self):
        return str(self.slate)


class EndorsementInvitation(models.Model):
    """A member of the window's audience, fixed when the window opens: the turnout's denominator.

    ``chamber`` is the member's chamber at that moment, so the figures per chamber do not move
    when a member changes sector later. ``nonce`` belongs to the signed link in their mail.
    """

    window = models.ForeignKey(EndorsementWindow, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="+")
    chamber = models.ForeignKey("network.Chamber", on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(max_length=32)
    message = models.OneToOneField(
        "outbox.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The mail telling this member the outcome: set once, by the batch that claims it.
    outcome_message = models.OneToOneField(
        "outbox.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("endorsement invitation")
        verbose_name_plural = _("endorsement invitations")
        constraints = [
            models.UniqueConstraint(fields=["window", "member"], name="endorsement_invited_once"),
        ]

    def __str__(self):
        return f"{self.member} ({self.window})"


class EndorsementAnswer(models.Model):
    """One member's answer in a window: at most one (a database constraint). No history: secret to staff."""

    class Choice(models.TextChoices):
        ENDORSE = "endorse", _("Endorse")
        OBJECT = "object", _("Object")
        ABSTAIN = "abstain", _("Abstain")

    window = models.ForeignKey(EndorsementWindow, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="+")
    chamber = models.ForeignKey("network.Chamber", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("answer"), max_length=8, choices=Choice.choices)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"))
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("endorsement answer")
        verbose_name_plural = _("endorsement answers")
        constraints = [
            models.UniqueConstraint(fields=["window", "member"], name="endorsement_answer_once"),
        ]
        indexes = [models.Index(fields=["window", "chamber", "choice"], name="endorsement_count_idx")]

    def __str__(self):
        return f"{self.window}: {self.get_choice_display()}"


class EndorsementReminder(models.Model):
    """A reminder at one offset went (or is going) to one member: claimed once, so never sent twice."""

    window = models.ForeignKey(EndorsementWindow, on_delete=models.CASCADE, related_name="reminders")
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="+")
    offset_days = models.PositiveSmallIntegerField(_("days before the close"))
    claimed_at = models.DateTimeField(_("queued"), auto_now_add=True)
    message = models.OneToOneField(
        "outbox.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("endorsement reminder")
        verbose_name_plural = _("endorsement reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["window", "member", "offset_days"], name="endorsement_reminder_once_per_offset"
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.offset_days}"


class ChairChoice(TimeStampedModel):
    """How a constituted body chose its chair: appointed by staff, or a vote among its members.

    ``figures`` holds the votes of a vote, by member id (``{"12": 4, "15": 3}``); empty for an
    appointment. The chair's seat role is set through ``governance.bodies.services.seats``.
    """

    class Method(models.TextChoices):
        APPOINTED = "appointed", _("Appointed by the secretariat")
        VOTE = "vote", _("Elected by a vote of the members")

    body = models.ForeignKey(
        "bodies.Body", on_delete=models.PROTECT, related_name="chair_choices", verbose_name=_("body")
    )
    member = models.ForeignKey(
        "network.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("chair")
    )
    method = models.CharField(_("how chosen"), max_length=16, choices=Method.choices)
    figures = models.JSONField(_("votes"), default=dict, blank=True)
    chosen_on = models.DateField(_("chosen on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-chosen_on", "-id"]
        verbose_name = _("choice of a chair")
        verbose_name_plural = _("choices of a chair")

    def __str__(self):
        return f"{self.body}: {self.member}"


class TaskGroup(TimeStampedModel):
    """A task group a committee appointed (a child ``Body``), and the consultation on its conclusions."""

    body = models.OneToOneField(
        "bodies.Body", on_delete=models.PROTECT, related_name="task_group", verbose_name=_("task group")
    )
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consultation on its conclusions"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("task group")
        verbose_name_plural = _("task groups")

    def __str__(self):
        return str(self.body)
