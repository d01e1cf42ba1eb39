"""Mail to members, rendered in their language and sent after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template: str, context: dict, language: str = "en") -> tuple[str, str]:
    """Subject and body of ``template``_subject.txt / ``template``_body.txt in ``language``."""
    with translation.override(language):
        context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.splitlines()), body


def send_email(*, to: str, template: str, context: dict, language: str = "en") -> None:
    """Send once the current transaction (if any) has committed, so no mail tells of a rolled-back change."""
    subject, body = render_email(template, context, language)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def notify_member(member, *, template: str, context: dict) -> None:
    language = member.user.preferred_language if member.user_id else (member.languages or ["en"])[0]
    if language not in dict(settings.LANGUAGES):
        language = "en"
    send_email(to=member.email, template=template, context={"member": member, **context}, language=language)
