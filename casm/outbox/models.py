"""The outbox: a notice (what the portal is telling people) and its messages (one per address).

A message is written in the same transaction as the event it tells of, so it exists exactly when
the event does. Delivery (``services.delivery``) leases messages, hands them to the SMTP server,
and marks each one sent as soon as the server accepts it.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """One thing the portal tells people: a consultation's reminder at 7 days, its publication, …

    ``key`` identifies it (``kind:scope``); ``kind`` names its label (``casm.outbox.kinds``) and
    ``params`` fill the label in, so staff read it in their own language.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=80)
    params = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self):
        from casm.outbox.kinds import notice_label

        return notice_label(self)


class Message(models.Model):
    """One mail to one address, with everything needed to send it again identically."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="messages")
    to = models.EmailField(_("address"))
    from_email = models.CharField(_("from"), max_length=254)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"))
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # The same Message-ID on every attempt: a receiving server or client can drop a repeat.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Who the mail is for, when it is someone with a record (a member, an account): a retry after
    # staff corrected the address goes to the record's current address.
    recipient_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipient_id = models.PositiveBigIntegerField(null=True, blank=True)
    recipient = GenericForeignKey("recipient_type", "recipient_id")

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    available_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("mail message")
        verbose_name_plural = _("mail messages")
        indexes = [
            # What the sender looks for: waiting messages whose time has come.
            models.Index(fields=["available_at"], condition=Q(status="pending"), name="outbox_due"),
            models.Index(fields=["notice", "status"], name="outbox_notice_status"),
            models.Index(fields=["to"], name="outbox_to"),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"
