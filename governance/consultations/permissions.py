"""Who may see or do what in governance. The one module of the app that decides access.

Global rights come from role groups (ModelBackend); rights on one consultation can be granted
with django-guardian (for example to a body's members), so both are asked.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.consultations.selectors import audience as selectors
from network import permissions as network_permissions

ANALYSIS_PERMISSION = "consultations.view_consultation_analysis"


def can_manage_consultations(user) -> bool:
    return network_permissions.is_secretariat(user)


def can_view_analysis(user, consultation=None) -> bool:
    """Staff and the committee read analyses and individual responses."""
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
    if not consultation.is_published or now < consultation.opens_at:
        return _("This consultation is not open yet.")
    if not selectors.is_in_audience(consultation, member):
        return _(
            "This consultation is not open to you: it was sent to a different audience, "
            "or your membership is not active."
        )
    if now > selectors.deadline_for(consultation, member):
        return _("The deadline for your response has passed. Your response can no longer be changed.")
    return None


def analysis_required(view):
    """Views of one consultation's analysis: ``slug`` in the URL; visitors log in, others get 403.

    Secretariat staff set up two-factor authentication first, as on every staff page.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if network_permissions.is_secretariat(request.user) and not network_permissions.has_mfa(request.user):
            return network_permissions.secretariat_required(view)(request, *args, **kwargs)
        if not can_view_analysis(request.user):
            from django.shortcuts import get_object_or_404

            from governance.consultations.models import Consultation

            consultation = get_object_or_404(Consultation, slug=kwargs.get("slug"))
            if not can_view_analysis(request.user, consultation):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# Secretariat pages of governance use the network's decorator: login, group, MFA.
secretariat_required = network_permissions.secretariat_required
member_required = network_permissions.member_required
