"""A member keeps their own profile: name, country, languages, role, directory listing, preferred
language; and asks the secretariat to change their organisation."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from casm.history import save_with_history
from network.models import Member, Membership, Organisation, OrganisationChangeRequest
from network.services.means_test import fee_tier_apply


def _require_self(member: Member, actor) -> None:
    if actor is None or member.user_id is None or member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Members change their own profile only."))


@transaction.atomic
def member_update_profile(
    *,
    member: Member,
    actor,
    languages: list[str],
    role: str = "",
    listed_in_directory: bool = False,
    preferred_language: str | None = None,
    full_name: str | None = None,
    country: str | None = None,
) -> Member:
    """A member changes their own profile; nobody else does it through this door.

    Languages must be among the portal's languages; ``None`` leaves the name or the country as
    they are. A new country can change the fee tier of a member without an organisation (the
    means test then looks at the member's country), so the tier follows, with its own history row.
    Nothing changed, nothing saved. The organisation is not changed here: see
    ``organisation_change_request``.
    """
    member = Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)
    _require_self(member, actor)
    known = dict(settings.LANGUAGES)
    unknown = [code for code in languages or [] if code not in known]
    if unknown or (preferred_language is not None and preferred_language not in known):
        raise ValidationError(_("Choose languages from the list."))
    if country is not None and country not in countries:
        raise ValidationError({"country": _("Choose a country from the list.")})
    if full_name is not None and not full_name.strip():
        raise ValidationError({"full_name": _("Your name cannot be blank.")})
    languages = [code for code, _label in settings.LANGUAGES if code in set(languages or [])]
    values = {
        "languages": languages,
        "role": (role or "").strip(),
        "listed_in_directory": bool(listed_in_directory),
    }
    if full_name is not None:
        values["full_name"] = " ".join(full_name.split())
    if country is not None:
        values["country"] = country
    country_changed = country is not None and member.country.code != country
    if any(getattr(member, field) != value for field, value in values.items() if field != "country") or (
        country_changed
    ):
        for field, value in values.items():
            setattr(member, field, value)
        save_with_history(member, actor=actor, reason="Profile updated by the member")
    if country_changed:
        membership = Membership.objects.select_for_update().filter(member=member).first()
        if membership is not None and fee_tier_apply(membership, member=member):
            save_with_history(membership, actor=actor, reason="Means test applied: country changed")
    user = member.user
    if preferred_language is not None and user.preferred_language != preferred_language:
        user.preferred_language = preferred_language
        user.save(update_fields=["preferred_language"])
    return member


@transaction.atomic
def organisation_change_request(
    *,
    member: Member,
    actor,
    organisation: Organisation | None = None,
    new_name: str = "",
    new_org_type: str = "",
    new_country: str = "",
    new_size: str = "",
    note: str = "",
) -> OrganisationChangeRequest:
    """A member asks to move to ``organisation``, or to a new one described by name, type, country
    and size. The organisation does not change until the secretariat approves (it can change the
    fee tier); one request waits at a time, and asking for the current organisation is refused.
    """
    member = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    _require_self(member, actor)
    if OrganisationChangeRequest.objects.filter(
        member=member, status=OrganisationChangeRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("You already have a request waiting for the secretariat."))
    if organisation is not None and organisation.pk == member.organisation_id:
        raise ValidationError({"organisation": _("You are already a member through this organisation.")})
    change = OrganisationChangeRequest(
        member=member,
        organisation=organisation,
        previous_organisation_id=member.organisation_id,
        note=(note or "").strip(),
    )
    if organisation is None:
        change.new_name = " ".join((new_name or "").split())
        change.new_org_type, change.new_country, change.new_size = new_org_type, new_country, new_size
    return save_with_history(change, actor=actor, reason="Organisation change asked by the member")
