"""Mail to members and to addresses, in the recipient's language, through the outbox (``casm.outbox``).

Each mail is a row of the outbox written in the caller's transaction: a change that rolls back
sends nothing, and a change that commits reaches its recipient however many workers die.
"""

from django.conf import settings

from casm.outbox.services.queue import Mail, mail_queue, messages_queue, notice_get_or_create


def send_email(
    *, to: str, template: str, context: dict, language: str = "en", kind: str, scope: str = "",
    params: dict | None = None, recipient=None,
) -> None:
    """Queue one mail to ``to`` under the notice ``kind:scope``; it leaves once the transaction commits."""
    mail_queue(
        to=to, template=template, context=context, language=language, kind=kind, scope=scope,
        params=params, recipient=recipient,
    )


def member_language(member) -> str:
    """The language a member reads mail in: their account's choice, else their first language."""
    language = member.user.preferred_language if member.user_id else (member.languages or ["en"])[0]
    return language if language in dict(settings.LANGUAGES) else "en"


def notify_member(member, *, template: str, context: dict, kind: str, scope: str = "", params=None) -> None:
    send_email(
        to=member.email,
        template=template,
        context={"member": member, **context},
        language=member_language(member),
        kind=kind,
        scope=scope,
        params=params,
        recipient=member,
    )


def account_mail_queue(*, to: str, subject: str, body: str, headers: dict, language: str) -> None:
    """Queue a mail allauth rendered (its own templates) under the accounts notice."""
    messages_queue(
        notice=notice_get_or_create(kind="accounts"),
        mails=[Mail(to=to, subject=subject, body=body, headers=headers, language=language)],
    )
