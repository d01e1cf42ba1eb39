"""Who may see or do what in consultations. The one module of the app that decides access.

Global rights come from role groups (ModelBackend); rights on one consultation can be granted
with django-guardian (for example to a body's members), so both are asked.

Views fetch what they show through the ``get_<entity>_or_404(user, …, perm)`` helpers below, with
one of the rights ``VIEW`` (the public pages), ``MANAGE`` (the secretariat's pages) or ``ANALYSE``
(the analysis and individual responses). Whoever may not know a consultation exists (a draft,
outside the secretariat and those who read its analysis) gets 404, as for a slug that does not
exist; whoever may know of it but lacks the right gets 403.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.consultations.models import (
    Consultation,
    ConsultationOption,
    ConsultationSection,
    ExtensionRequest,
    Response,
)
from governance.consultations.selectors import audience as selectors
from governance.consultations.templatetags.consultation_times import format_in_zone
from network import permissions as network_permissions

ANALYSIS_PERMISSION = "consultations.view_consultation_analysis"

VIEW = "view"
MANAGE = "manage"
ANALYSE = "analyse"


def can_manage_consultations(user) -> bool:
    return network_permissions.is_secretariat(user)


def can_manage_consultation(user, consultation=None) -> bool:
    """The secretariat builds, publishes and administers every consultation."""
    return can_manage_consultations(user)


def can_view_consultation(user, consultation) -> bool:
    """The public pages (the paper, responding, published responses) exist once it is published.

    Before that the secretariat sees it through its preview, never through the public pages.
    """
    return consultation.is_published


def can_view_analysis(user, consultation=None) -> bool:
    """Staff and the committee read analyses and individual responses.

    The right alone; the pages also need a second factor (``analysis_required``).
    """
    if user is None or not user.is_authenticated:
        return False
    if user.has_perm(ANALYSIS_PERMISSION):
        return True
    return consultation is not None and user.has_perm(ANALYSIS_PERMISSION, consultation)


def respond_refusal(consultation, member, *, now=None) -> str | None:
    """Why ``member`` may not respond (or edit a response) now; None when they may.

    The deadline is the respondent's own (an extension may move it), enforced on the server.
    """
    now = now or timezone.now()
    if member is None:
        return _("Only members of the network can respond to consultations.")
    if consultation.state_at(now) in (Consultation.State.DRAFT, Consultation.State.SCHEDULED):
        return _("This consultation is not open yet.")
    if not selectors.is_in_audience(consultation, member):
        return _(
            "This consultation is not open to you: it was sent to a different audience, "
            "or your membership is not active."
        )
    deadline = selectors.deadline_for(consultation, member)
    if now > deadline:
        # Said of the consultation, not of "your response": many never started one.
        if deadline > consultation.closes_at:
            return _(
                "Your extended deadline, %(deadline)s, has passed. "
                "Responses can no longer be sent or changed."
            ) % {"deadline": format_in_zone(deadline, consultation.time_zone)}
        return _(
            "The deadline has passed: this consultation closed on %(date)s. "
            "Responses can no longer be sent or changed."
        ) % {"date": format_in_zone(consultation.closes_at, consultation.time_zone)}
    return None


# ---------------------------------------------------------------- fetching with a right

_RIGHTS = {VIEW: can_view_consultation, MANAGE: can_manage_consultation, ANALYSE: can_view_analysis}


def _check(user, consultation, perm: str) -> None:
    """Nothing when ``user`` has ``perm`` on ``consultation``; else 404 or 403 (see the module)."""
    if _RIGHTS[perm](user, consultation):
        return
    # The public pages of a draft do not exist, for anyone.
    if perm == VIEW:
        raise Http404
    knows_of_it = (
        consultation.is_published
        or can_manage_consultation(user, consultation)
        or can_view_analysis(user, consultation)
    )
    raise PermissionDenied if knows_of_it else Http404


def get_consultation_or_404(user, slug: str, perm: str = VIEW, *, queryset=None) -> Consultation:
    """The consultation with ``slug`` if ``user`` has ``perm`` on it (one query); 404 or 403 otherwise.

    ``queryset`` narrows or joins (for example the staff overview's counts and sections).
    """
    consultation = get_object_or_404(Consultation.objects.all() if queryset is None else queryset, slug=slug)
    _check(user, consultation, perm)
    return consultation


def get_section_or_404(user, pk: int, perm: str, *, slug: str) -> ConsultationSection:
    """A section of the consultation ``slug``, with it joined, if ``user`` has ``perm`` on it."""
    section = get_object_or_404(
        ConsultationSection.objects.select_related("consultation"), pk=pk, consultation__slug=slug
    )
    _check(user, section.consultation, perm)
    return section


def get_option_or_404(user, pk: int, perm: str, *, slug: str) -> ConsultationOption:
    """An option of the consultation ``slug``, with its section and consultation joined."""
    option = get_object_or_404(
        ConsultationOption.objects.select_related("section__consultation"),
        pk=pk,
        section__consultation__slug=slug,
    )
    _check(user, option.section.consultation, perm)
    return option


def get_extension_request_or_404(user, pk: int, *, consultation, queryset=None) -> ExtensionRequest:
    """A request for more time on ``consultation``, for the secretariat who decides it."""
    _check(user, consultation, MANAGE)
    queryset = ExtensionRequest.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset, consultation=consultation, pk=pk)


def get_response_or_404(user, pk: int, *, consultation, queryset=None) -> Response:
    """A submitted response to ``consultation``, for those who read its analysis (drafts never)."""
    _check(user, consultation, ANALYSE)
    queryset = Response.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset, consultation=consultation, status=Response.Status.SUBMITTED, pk=pk)


# ---------------------------------------------------------------- view decorators


def analysis_required(view):
    """Views of one consultation's analysis: ``slug`` in the URL; the view gets ``consultation``.

    Visitors log in; secretariat staff set up two-factor authentication first, as on every staff
    page; then ``get_consultation_or_404(…, ANALYSE)`` decides (403, or 404 for a hidden draft).
    Whoever may read individual responses (the committee, holders of the object permission) must
    have a second factor too: without one they are sent to set it up, and see nothing.
    """

    @wraps(view)
    def wrapper(request, *args, slug, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if network_permissions.is_secretariat(request.user) and not network_permissions.has_mfa(request.user):
            return network_permissions.secretariat_required(view)(request, *args, slug=slug, **kwargs)
        consultation = get_consultation_or_404(request.user, slug, ANALYSE)
        if not network_permissions.has_mfa(request.user):
            return _set_up_second_factor(request)
        return view(request, *args, consultation=consultation, **kwargs)

    return wrapper


def _set_up_second_factor(request):
    messages.warning(
        request,
        _(
            "Individual responses are confidential: set up two-factor authentication "
            "before reading the analysis of a consultation."
        ),
    )
    return redirect("mfa_activate_totp")


# Secretariat pages of governance use the network's decorator: login, group, MFA.
secretariat_required = network_permissions.secretariat_required
member_required = network_permissions.member_required
