"""Governing and advisory bodies (SMAG, Interim Steering Committee, Board, Donor Committee, task
groups) and their seats."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casm.content import TranslatableContent
from casm.models import TimeStampedModel
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
