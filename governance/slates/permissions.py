"""Who may see or do what with slates. The one module of the app that decides access.

- Composing a slate (creating it, adding and removing nominees, revising a failed round): the
  secretariat, or a member holding a current seat on the body entitled to propose it
  (``Slate.proposed_by``), e.g. the Interim Steering Committee proposing the first Board.
- Asking nominees, constituting a body, choosing its chair, appointing task groups: the secretariat.
- A nominee answers their own nomination only.
- Everyone may read a slate that went to endorsement; a draft is seen by its composers only.

The services ask these again, whoever calls them.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.bodies.models import Seat
from governance.slates.models import Nominee, Slate
from network import permissions as network_permissions
from network.permissions import member_required, secretariat_required  # noqa: F401 - the views' guards

# Slates the network has seen: sent to endorsement, whatever came of it.
PUBLIC_STATUSES = (
    Slate.Status.ENDORSEMENT,
    Slate.Status.ENDORSED,
    Slate.Status.NOT_ENDORSED,
    Slate.Status.CONSTITUTED,
)


def seated_body_ids(user) -> set[int]:
    """The bodies on which ``user``'s member record holds a seat now (one query; empty for others)."""
    if not network_permissions.is_active_member(user):
        return set()
    member = network_permissions.member_of(user)
    cache = user.__dict__.get("_casm_seated_bodies")
    if cache is None:
        cache = set(Seat.objects.filter(holder=member).values_list("body_id", flat=True))
        user.__dict__["_casm_seated_bodies"] = cache
    return cache


def can_propose_for(user, proposed_by) -> bool:
    """Whether ``user`` may compose a slate proposed by ``proposed_by`` (None: the secretariat's)."""
    if network_permissions.is_secretariat(user):
        return True
    return proposed_by is not None and proposed_by.pk in seated_body_ids(user)


def can_create_slate(user) -> bool:
    """The secretariat, or a member seated on some body (who may propose in its name)."""
    return network_permissions.is_secretariat(user) or bool(seated_body_ids(user))


def can_compose_slate(user, slate: Slate) -> bool:
    """The secretariat, or a member holding a current seat on the body that proposes ``slate``."""
    return can_propose_for(user, slate.proposed_by)


def can_ask_nominees(user) -> bool:
    return network_permissions.is_secretariat(user)


def can_constitute(user) -> bool:
    """Constitution, the chair, task groups and their consultation: the secretariat."""
    return network_permissions.is_secretariat(user)


def is_public(slate: Slate) -> bool:
    return slate.status in PUBLIC_STATUSES


def composer_required(view):
    """Composing pages: visitors log in; staff pass the secretariat's guard (second factor);
    anyone else needs a seat on some body, and the view checks the slate itself."""

    staff_view = secretariat_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if network_permissions.is_secretariat(user):
            return staff_view(request, *args, **kwargs)
        if not can_create_slate(user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_slate_to_compose_or_404(user, pk: int) -> Slate:
    """The slate ``pk`` for one of its composers; 403 for a member of another body."""
    slate = get_object_or_404(Slate.objects.select_related("body", "proposed_by", "previous"), pk=pk)
    if not can_compose_slate(user, slate):
        raise PermissionDenied
    return slate


def get_public_slate_or_404(pk: int) -> Slate:
    slate = get_object_or_404(Slate.objects.select_related("body", "window"), pk=pk)
    if not is_public(slate):
        raise Http404
    return slate


def get_own_nominee_or_404(user, pk: int) -> Nominee:
    """The logged-in member's own nomination ``pk``; 404 for anyone else (they need not know of it)."""
    member = network_permissions.member_of(user)
    nominee = (
        Nominee.objects.select_related("slate__body", "member").filter(pk=pk, member=member).first()
        if member is not None
        else None
    )
    if nominee is None:
        raise Http404
    return nominee
