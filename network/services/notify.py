"""Mail to members, rendered in their language and sent after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import engines
from django.utils import translation

from casm.links import absolute_url


def render_email(template: str, context: dict, language: str = "en") -> tuple[str, str]:
    """Subject and body of ``template``_subject.txt / ``template``_body.txt in ``language``."""
    with translation.override(language):
        context = {"site_name": settings.SITE_NAME, "site_url": absolute_url(), **context}
        text = engines["text"]  # plain text: no HTML escaping
        subject = text.get_template(f"{template}_subject.txt").render(context).strip()
        body = text.get_template(f"{template}_body.txt").render(context)
    return " ".join(subject.splitlines()), body


def send_email(*, to: str, template: str, context: dict, language: str = "en") -> None:
    """Send once the current transaction (if any) has committed, so no mail tells of a rolled-back change."""
    subject, body = render_email(template, context, language)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def member_language(member) -> str:
    """The language a member reads mail in: their account's choice, else their first language."""
    language = member.user.preferred_language if member.user_id else (member.languages or ["en"])[0]
    return language if language in dict(settings.LANGUAGES) else "en"


def notify_member(member, *, template: str, context: dict) -> None:
    send_email(
        to=member.email,
        template=template,
        context={"member": member, **context},
        language=member_language(member),
    )
