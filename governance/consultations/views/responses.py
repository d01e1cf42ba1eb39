"""Consultations as stakeholders and visitors see them: the list, the paper, responding, more time.

Views validate a form, call one service and redirect with a message. Who may respond, and until
when, is ``governance.consultations.permissions.respond_refusal``'s decision, enforced again by the services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from governance.consultations import permissions
from governance.consultations.forms.responses import ExtensionRequestForm, ResponseForm, initial_from_response
from governance.consultations.models import Response
from governance.consultations.selectors import responses as reads
from governance.consultations.services.responses import extension_request, response_save
from governance.consultations.templatetags.consultation_times import format_in_zone
from network.models import Member
from network.permissions import member_of

CONSULTATIONS_PAGE_SIZE = 20
RESPONSES_PAGE_SIZE = 20


def _own_member(request) -> Member:
    """The viewer's member record with organisation, sector, chamber and membership (one query).

    It replaces the one cached on the user, so the base template's role checks reuse it.
    """
    member = Member.objects.select_related("organisation", "sector__chamber", "membership").get(
        user=request.user
    )
    request.user.member = member
    return member


def _refused(request, consultation, reason: str):
    """A clear page, not an error: why this person cannot respond (403)."""
    return render(
        request,
        "consultations/respond/refused.html",
        {"consultation": consultation, "reason": reason},
        status=403,
    )


def _deadline_text(consultation, member) -> str:
    from governance.consultations.selectors import audience as selectors

    return format_in_zone(selectors.deadline_for(consultation, member), consultation.time_zone)


# ---------------------------------------------------------------- public pages


@require_GET
def consultation_list(request):
    """Published consultations, open ones first; for a member, whether each is addressed to them and
    how far their response is.

    Queries, whatever the number of consultations: the paginator's count and one page (the member's
    audience and response status are computed in it); for a member, also the session, the account
    and the member record.
    """
    consultations = reads.consultation_list_public()
    member = member_of(request.user)
    if member is not None:
        consultations = reads.with_member_status(consultations, member)
    page = Paginator(consultations, CONSULTATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consultations/respond/consultation_list.html", {"page": page})


@require_GET
def consultation_detail(request, slug):
    """The paper, and for a signed-in member whether and until when they can respond."""
    consultation = permissions.get_consultation_or_404(request.user, slug, permissions.VIEW)
    member = member_of(request.user)
    context = {
        "consultation": consultation,
        "sections": reads.consultation_sections(consultation),
        "status": reads.respondent_status(consultation=consultation, member=member) if member else None,
    }
    return render(request, "consultations/respond/consultation_detail.html", context)


@require_GET
def consultation_public_responses(request, slug):
    """Submitted responses whose authors chose to publish them: names and organisations, never emails.

    Queries, whatever the number of responses: the consultation, its sections and options (two),
    the paginator's count, one page of responses with member, organisation, chamber and sector
    joined, and their answers, preferences, unclear flags and proposed options (one each).
    """
    consultation = permissions.get_consultation_or_404(request.user, slug, permissions.VIEW)
    sections = reads.consultation_sections(consultation)
    page = Paginator(reads.public_responses(consultation), RESPONSES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    entries = [
        (response, reads.response_rows(response, sections), reads.public_author(response))
        for response in page
    ]
    context = {"consultation": consultation, "page": page, "entries": entries}
    return render(request, "consultations/respond/public_responses.html", context)


# ---------------------------------------------------------------- the respondent


@permissions.member_required
@require_http_methods(["GET", "POST"])
def consultation_respond(request, slug):
    """The response form: "Save draft" keeps it for later, "Submit" sends it (and revisions after).

    Once submitted, "Save revision as draft" keeps changes unsent: the submitted response stays in force.
    """
    consultation = permissions.get_consultation_or_404(request.user, slug, permissions.VIEW)
    member = _own_member(request)
    refusal = permissions.respond_refusal(consultation, member)
    if refusal:
        return _refused(request, consultation, refusal)
    sections = reads.consultation_sections(consultation)
    response = reads.response_for(consultation=consultation, member=member)
    initial, saved_rows = initial_from_response(response, sections)
    form = ResponseForm(
        request.POST or None,
        initial=initial,
        sections=sections,
        organisation=reads.official_organisation_of(member),
        proposal_rows=saved_rows,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = response_save(
                consultation=consultation,
                member=member,
                actor=request.user,
                values=form.to_values(),
                submit=form.wants_submit,
            )
        except PermissionDenied as error:
            return _refused(
                request, consultation, str(error) or _("You cannot respond to this consultation.")
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            deadline = _deadline_text(consultation, member)
            if saved.revision_draft is not None:
                messages.success(
                    request,
                    _(
                        "Your revision is saved as a draft. Your submitted response stays in force until "
                        "you submit the revision, before %(deadline)s."
                    )
                    % {"deadline": deadline},
                )
                return redirect("consultations:consultation_respond", slug=consultation.slug)
            if saved.status == Response.Status.SUBMITTED:
                messages.success(
                    request,
                    _(
                        "Thank you: your response is submitted. A copy is on its way to your email address. "
                        "You can revise it until %(deadline)s."
                    )
                    % {"deadline": deadline},
                )
                return redirect("consultations:consultation_my_response", slug=consultation.slug)
            messages.success(
                request,
                _("Your draft is saved. Come back to it and submit it before %(deadline)s.")
                % {"deadline": deadline},
            )
            return redirect("consultations:consultation_respond", slug=consultation.slug)
    context = {
        "consultation": consultation,
        "form": form,
        "response": response,
        "deadline": _deadline_text(consultation, member),
        "submitted": response is not None and response.status == Response.Status.SUBMITTED,
        "revision_saved_at": response.revision_saved_at if response is not None else None,
    }
    return render(request, "consultations/respond/respond.html", context)


@permissions.member_required
@require_GET
def consultation_my_response(request, slug):
    """The viewer's own response, read-only; nobody reaches another person's response here."""
    consultation = permissions.get_consultation_or_404(request.user, slug, permissions.VIEW)
    member = _own_member(request)
    sections = reads.consultation_sections(consultation)
    response = reads.response_for(consultation=consultation, member=member)
    context = {
        "consultation": consultation,
        "response": response,
        "rows": reads.response_rows(response, sections) if response else None,
        "revision": reads.revision_draft_of(response, sections),
        "refusal": permissions.respond_refusal(consultation, member),
        "deadline": _deadline_text(consultation, member),
    }
    return render(request, "consultations/respond/my_response.html", context)


@permissions.member_required
@require_http_methods(["GET", "POST"])
def consultation_extension_request(request, slug):
    """The respondent asks for more time, with a reason; the secretariat answers by email."""
    consultation = permissions.get_consultation_or_404(request.user, slug, permissions.VIEW)
    member = _own_member(request)
    refusal = permissions.respond_refusal(consultation, member)
    if refusal:
        return _refused(request, consultation, refusal)
    requests = reads.extension_requests_for(consultation=consultation, member=member)
    pending = next((r for r in requests if r.status == r.Status.PENDING), None)
    form = ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            extension_request(
                consultation=consultation,
                member=member,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as error:
            return _refused(request, consultation, str(error))
        except ValidationError as error:
            form.add_error(None, error)  # keyed errors land beside their field
        else:
            messages.success(
                request, _("Your request for more time is sent. The secretariat will answer you by email.")
            )
            return redirect(consultation.get_absolute_url())
    context = {
        "consultation": consultation,
        "form": form,
        "pending": pending,
        "requests": requests,
        "deadline": _deadline_text(consultation, member),
    }
    return render(request, "consultations/respond/extension_request.html", context)
