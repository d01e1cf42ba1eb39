"""Pages of ground rules, decisions and the mission: public ones, and the secretariat's.

Staff views validate a form, call one service and redirect with a message; the rules live in
``services``. Who sees what is decided in ``permissions`` and applied by ``selectors``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from governance.charter import permissions, selectors, services
from governance.charter.forms import DecisionForm, VersionForm
from governance.charter.models import Document
from governance.charter.permissions import get_body_or_404, secretariat_required
from governance.consultations.selectors.responses import consultation_list_public

GROUND_RULES, MISSION = Document.Kind.GROUND_RULES, Document.Kind.MISSION


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError beside the fields it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _against(request) -> int | None:
    value = request.GET.get("against", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else None


def _document_page(request, *, kind, body, number=None):
    """The version asked for (or the one in force), the versions and the changes, for the viewer."""
    page = selectors.document_page(
        kind=kind, body=body, number=number, against=_against(request), language=get_language()
    )
    if page is None:
        raise Http404
    return page | {"kind": kind, "body": body, "viewer_manages": permissions.can_manage_charter(request.user)}


# ---------------------------------------------------------------- public pages


@require_GET
def mission(request):
    """The mission, goals and strategies in force, the changes against the previous version, the versions."""
    context = _document_page(request, kind=MISSION, body=None)
    return render(request, "charter/document.html", context)


@require_GET
def mission_version(request, number):
    context = _document_page(request, kind=MISSION, body=None, number=number)
    return render(request, "charter/version_detail.html", context)


@require_GET
def ground_rules(request, slug):
    body = get_body_or_404(slug)
    context = _document_page(request, kind=GROUND_RULES, body=body)
    return render(request, "charter/document.html", context)


@require_GET
def ground_rules_version(request, slug, number):
    body = get_body_or_404(slug)
    context = _document_page(request, kind=GROUND_RULES, body=body, number=number)
    return render(request, "charter/version_detail.html", context)


@require_GET
def decision_list(request, slug):
    """The body's decisions the viewer may read: public ones; members-only ones for active members and staff.

    Queries, whatever the number of decisions: the viewer's session and account (when logged in),
    their member record and membership or groups, the body, the decisions with who recorded them.
    """
    body = get_body_or_404(slug)
    context = {
        "body": body,
        "decisions": selectors.decision_list_for(user=request.user, body=body),
        "viewer_sees_members_only": permissions.can_view_members_only_decisions(request.user),
        "viewer_manages": permissions.can_manage_charter(request.user),
    }
    return render(request, "charter/decision_list.html", context)


# ---------------------------------------------------------------- the secretariat


@secretariat_required
def staff_home(request):
    """Every active body with its ground rules' version and its number of decisions; the mission.

    Queries, whatever the number of bodies: the viewer's session, account, groups and MFA; the
    bodies with their counts; the mission's latest version.
    """
    mission_document = selectors.document_get(kind=MISSION)
    context = {
        "bodies": selectors.body_list_for_staff(),
        "mission": selectors.version_list_for(mission_document).first(),
    }
    return render(request, "charter/staff/home.html", context)


def _publish(request, *, kind, body):
    document = selectors.document_get(kind=kind, body=body)
    current = selectors.version_list_for(document).first()
    initial = None
    if current is not None:
        initial = {"title": current.title, "text": current.text} | VersionForm.translation_initial(current)
        for code in current.translations or {}:  # "what changed" is the new version's own
            initial.pop(VersionForm.translation_field_name(code, "summary"), None)
        if kind == MISSION and current.consultation_id:
            initial["consultation"] = current.consultation_id
    form = VersionForm(
        request.POST or None,
        initial=initial,
        original=current.content_language if current else "en",
        consultations=consultation_list_public() if kind == MISSION else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if kind == MISSION:
                version = services.mission_publish(actor=request.user, **form.cleaned_data)
            else:
                version = services.ground_rules_publish(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
            return redirect(version.get_absolute_url())
    context = {"form": form, "kind": kind, "body": body, "current": current}
    return render(request, "charter/staff/version_form.html", context)


@secretariat_required
def staff_mission_publish(request):
    return _publish(request, kind=MISSION, body=None)


@secretariat_required
def staff_ground_rules_publish(request, slug):
    return _publish(request, kind=GROUND_RULES, body=get_body_or_404(slug))


@secretariat_required
def staff_decision_new(request, slug):
    body = get_body_or_404(slug)
    form = DecisionForm(request.POST or None, original=body.content_language)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("charter:decision_list", slug=body.slug)
    return render(request, "charter/staff/decision_form.html", {"form": form, "body": body, "decision": None})


@secretariat_required
def staff_decision_edit(request, slug, pk):
    body = get_body_or_404(slug)
    decision = selectors.decision_get_for_staff(body=body, pk=pk)
    form = DecisionForm(
        request.POST or None, initial=DecisionForm.initial_for(decision), original=decision.content_language
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(actor=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The decision was saved."))
            return redirect("charter:decision_list", slug=body.slug)
    context = {"form": form, "body": body, "decision": decision}
    return render(request, "charter/staff/decision_form.html", context)


@secretariat_required
def staff_body_history(request, slug):
    """Who published the body's ground rules and recorded or changed its decisions, and when."""
    body = get_body_or_404(slug)
    return render(
        request, "charter/staff/history.html", {"body": body, "history": selectors.charter_history(body)}
    )


@secretariat_required
def staff_mission_history(request):
    return render(
        request, "charter/staff/history.html", {"body": None, "history": selectors.charter_history(None)}
    )
