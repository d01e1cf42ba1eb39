"""Signed links that act for one member without logging in: a survey's answer, a reminder's stop link.

The token is made with ``django.core.signing`` (HMAC with ``SECRET_KEY``, timestamped) and binds:

- a ``purpose`` (the signing salt): a token made for one purpose is refused for any other;
- an ``object_id``: the survey, the endorsement window, the consultation…;
- a ``member_id``: whom the link acts for;
- a ``nonce``: random, stored on the caller's record (the invitation), so a link can be revoked by
  changing the nonce, and a link is only good for the record it was made for.

Usage::

    nonce = new_nonce()                      # stored on the invitation when it is made
    token = link_token(purpose=PURPOSE, object_id=survey.pk, member_id=member.pk, nonce=nonce)
    ...
    link = link_read(token, purpose=PURPOSE, max_age=datetime.timedelta(days=90))
    invitation = Invitation.objects.get(survey_id=link.object_id, member_id=link.member_id)
    if not link.nonce_matches(invitation.nonce): ...refuse...

``link_read`` raises ``LinkExpired`` when the signature is good but older than ``max_age``, and
``LinkInvalid`` (its parent class) when the token was forged, altered, truncated or made for
another purpose. The caller looks its record up by BOTH ids of the link, never by an id taken
from the request, so one member's link can never act for another member.

What this module does not do: single use. A link is single-use when the caller's record says so
(an invitation already answered, a ballot already cast: a database constraint, not this module).
A survey whose answers may change until its deadline lets the same link be used again; an
endorsement window that takes one answer refuses the second one from its own record.

Tokens made without a nonce (``nonce=None``) hold ``[object_id, member_id]`` only: the form of the
consultations' stop links, which were sent before this module existed and must keep working.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import constant_time_compare


class LinkInvalid(Exception):
    """The token was forged, altered or made for another purpose."""

    code = "invalid"


class LinkExpired(LinkInvalid):
    """The token is genuine but older than the ``max_age`` its reader allows."""

    code = "expired"


@dataclass(frozen=True)
class SignedLink:
    """What a genuine token says: the object and member it acts on, and its nonce (None if it had none)."""

    object_id: int
    member_id: int
    nonce: str | None

    def nonce_matches(self, stored: str) -> bool:
        """Whether the link's nonce is the one stored on the record (compared in constant time)."""
        return self.nonce is not None and bool(stored) and constant_time_compare(self.nonce, stored)


def new_nonce() -> str:
    """A fresh nonce for an invitation (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


def link_token(*, purpose: str, object_id: int, member_id: int, nonce: str | None) -> str:
    """The signed, timestamped token of a link acting on ``object_id`` for ``member_id``."""
    payload = [int(object_id), int(member_id)] if nonce is None else [int(object_id), int(member_id), nonce]
    return signing.dumps(payload, salt=purpose)


def link_read(token: str, *, purpose: str, max_age: datetime.timedelta | None) -> SignedLink:
    """The link ``token`` names; ``LinkExpired`` if older than ``max_age``, ``LinkInvalid`` if not genuine."""
    try:
        payload = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkInvalid from None
    if not isinstance(payload, list) or len(payload) not in (2, 3):
        raise LinkInvalid
    object_id, member_id, *rest = payload
    nonce = rest[0] if rest else None
    if not isinstance(object_id, int) or not isinstance(member_id, int):
        raise LinkInvalid
    if nonce is not None and not isinstance(nonce, str):
        raise LinkInvalid
    return SignedLink(object_id=object_id, member_id=member_id, nonce=nonce)


def link_record(token: str, *, purpose: str, max_age: datetime.timedelta | None, records, object_field: str):
    """The record (an invitation, a nominee…) a member's signed link names, or a ValidationError
    with code ``expired`` or ``invalid`` and a sentence for the page.

    ``records`` is the queryset to look in (with the joins the page needs); the record is found by
    ``object_field`` (e.g. ``"survey_id"``) and ``member_id`` both taken from the link, and the
    link's nonce must be the record's ``nonce``: no link can reach another member's record.
    """
    # Imported here: the module's token functions need no Django settings to import.
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    try:
        link = link_read(token, purpose=purpose, max_age=max_age)
    except LinkExpired:
        raise ValidationError(
            _("This link has expired. Log in to answer in the portal, or write to the secretariat."),
            code="expired",
        ) from None
    except LinkInvalid:
        link = None
    record = None
    if link is not None:
        record = records.filter(**{object_field: link.object_id, "member_id": link.member_id}).first()
    if record is None or not link.nonce_matches(record.nonce):
        raise ValidationError(
            _("This link is not valid. Copy the whole link from the email you received."), code="invalid"
        )
    return record
