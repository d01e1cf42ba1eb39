"""A member keeps their own profile: languages, role, directory listing, preferred language."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casm.history import save_with_history
from network.models import Member


@transaction.atomic
def member_update_profile(
    *,
    member: Member,
    actor,
    languages: list[str],
    role: str = "",
    listed_in_directory: bool = False,
    preferred_language: str | None = None,
) -> Member:
    """A member changes their own profile; nobody else does it through this door.

    Languages must be among the portal's languages. Nothing changed, nothing saved.
    """
    member = Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)
    if actor is None or member.user_id is None or member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Members change their own profile only."))
    known = dict(settings.LANGUAGES)
    unknown = [code for code in languages or [] if code not in known]
    if unknown or (preferred_language is not None and preferred_language not in known):
        raise ValidationError(_("Choose languages from the list."))
    languages = [code for code, _label in settings.LANGUAGES if code in set(languages or [])]
    values = {
        "languages": languages,
        "role": (role or "").strip(),
        "listed_in_directory": bool(listed_in_directory),
    }
    if any(getattr(member, field) != value for field, value in values.items()):
        for field, value in values.items():
            setattr(member, field, value)
        save_with_history(member, actor=actor, reason="Profile updated by the member")
    user = member.user
    if preferred_language is not None and user.preferred_language != preferred_language:
        user.preferred_language = preferred_language
        user.save(update_fields=["preferred_language"])
    return member
