"""Queueing mail: rendered in the recipient's language and written in the caller's transaction.

The rule: a message is a row written in the same transaction as the event it tells of. If the
transaction rolls back, there is no message; if it commits, the message waits in the outbox until
a sender delivers it (``services.delivery``), however many workers die meanwhile. The sender is
woken when the transaction commits; a periodic run (Celery beat) catches anything left behind.
"""

from dataclasses import dataclass, field
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.template import engines
from django.utils import timezone, translation

from casm.links import absolute_url
from casm.outbox.models import Message, Notice
from casm.outbox.tasks import outbox_send_task


@dataclass
class Mail:
    """One rendered mail, before it is queued."""

    to: str
    subject: str
    body: str
    language: str = ""
    headers: dict = field(default_factory=dict)
    recipient: object = None


def render_email(template: str, context: dict, language: str = "en") -> tuple[str, str]:
    """Subject and body of ``template``_subject.txt / ``template``_body.txt in ``language``."""
    with translation.override(language):
        context = {"site_name": settings.SITE_NAME, "site_url": absolute_url(), **context}
        text = engines["text"]  # plain text: no HTML escaping
        subject = text.get_template(f"{template}_subject.txt").render(context).strip()
        body = text.get_template(f"{template}_body.txt").render(context)
    return " ".join(subject.splitlines()), body


def render_mail(*, to: str, template: str, context: dict, language: str = "en", **extra) -> Mail:
    subject, body = render_email(template, context, language)
    return Mail(to=to, subject=subject, body=body, language=language, **extra)


def notice_get_or_create(*, kind: str, scope: str = "", params: dict | None = None) -> Notice:
    """The notice ``kind:scope``, created on first use (safe when two batches create it at once)."""
    key = f"{kind}:{scope}" if scope else kind
    notice = Notice.objects.filter(key=key).first()
    if notice is not None:
        return notice
    try:
        with transaction.atomic():
            return Notice.objects.create(key=key, kind=kind, params=params or {})
    except IntegrityError:
        return Notice.objects.get(key=key)


def _message_id() -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "casm.invalid"
    return make_msgid(domain=domain)


def _recipient_fields(recipient) -> dict:
    if recipient is None or recipient.pk is None:
        return {}
    return {
        "recipient_type": ContentType.objects.get_for_model(recipient, for_concrete_model=False),
        "recipient_id": recipient.pk,
    }


def _wake_sender() -> None:
    outbox_send_task.delay()


def messages_queue(*, notice: Notice, mails: list[Mail]) -> list[Message]:
    """Write one message per mail in the current transaction; wake the sender once it commits.

    Called inside the transaction of the event (a claim, an approval, a receipt): both commit
    together or neither does. One wake-up per call, however many messages.
    """
    if not mails:
        return []
    now = timezone.now()
    messages = [
        Message(
            notice=notice,
            to=mail.to,
            from_email=settings.DEFAULT_FROM_EMAIL,
            subject=mail.subject,
            body=mail.body,
            headers=mail.headers,
            language=mail.language,
            message_id=_message_id(),
            available_at=now,
            **_recipient_fields(mail.recipient),
        )
        for mail in mails
    ]
    created = Message.objects.bulk_create(messages)
    transaction.on_commit(_wake_sender)
    return created


def mail_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str = "en",
    kind: str,
    scope: str = "",
    params: dict | None = None,
    recipient=None,
    headers: dict | None = None,
) -> Message:
    """Render one mail in ``language`` and queue it under the notice ``kind:scope``."""
    mail = render_mail(
        to=to,
        template=template,
        context=context,
        language=language,
        recipient=recipient,
        headers=headers or {},
    )
    notice = notice_get_or_create(kind=kind, scope=scope, params=params)
    return messages_queue(notice=notice, mails=[mail])[0]
