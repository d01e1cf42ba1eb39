"""Pages of the survey of continued service: members answer (signed link or logged in); staff send,
read and remind."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.bodies import permissions, selectors
from governance.bodies.forms.survey import SurveyAnswerForm, SurveySendForm
from governance.bodies.models import Body
from governance.bodies.permissions import member_required, secretariat_required
from governance.bodies.services import survey as services

# ---------------------------------------------------------------- the survey of continued service
# The signed link is the only authority on its page: no login. Mail scanners follow links, so
# opening it (GET) only shows the question; the form's POST records the answer.


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError beside the fields it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _refused(request, error: ValidationError):
    """A clear page for a link or an answer refused: nothing was recorded."""
    codes = {getattr(item, "code", None) for item in error.error_list}
    if "expired" in codes:
        kind, status = "expired", 410
    elif "closed" in codes:
        kind, status = "closed", 410
    elif "other_member" in codes:
        kind, status = "other_member", 403
    else:
        kind, status = "invalid", 404
    return render(
        request,
        "bodies/survey/refused.html",
        {"error": " ".join(error.messages), "kind": kind},
        status=status,
    )


def _answer_page(request, invitation, form, *, action):
    return render(
        request,
        "bodies/survey/answer.html",
        {"invitation": invitation, "survey": invitation.survey, "form": form, "action": action},
    )


def _thank(request) -> None:
    messages.success(request, _("Thank you: your answer is recorded. You can change it until the deadline."))


def _initial(invitation) -> dict:
    return {"answer": invitation.answer or None, "comment": invitation.comment}


@require_http_methods(["GET", "HEAD", "POST"])
def survey_answer_link(request, token):
    """The member's answer page reached through the signed link of their mail, without logging in."""
    try:
        invitation = services.survey_link_read(token)
        services.survey_link_check_user(invitation, request.user)
    except ValidationError as error:
        return _refused(request, error)
    if not invitation.survey.is_open():
        return _refused(request, ValidationError(_("This survey is closed."), code="closed"))
    form = SurveyAnswerForm(request.POST or None, initial=_initial(invitation))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer_by_link(token=token, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            return _refused(request, error)
        _thank(request)
        return redirect("bodies:survey_answer_link", token=token)
    return _answer_page(request, invitation, form, action=request.path)


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_answer(request, pk):
    """The logged-in member answers (or changes) their own answer to a survey they were asked in."""
    invitation = permissions.get_own_invitation_or_404(request.user, pk)
    if not invitation.survey.is_open():
        return _refused(request, ValidationError(_("This survey is closed."), code="closed"))
    form = SurveyAnswerForm(request.POST or None, initial=_initial(invitation))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(actor=request.user, survey=invitation.survey, **form.cleaned_data)
        except ValidationError as error:
            return _refused(request, error)
        _thank(request)
        return redirect("bodies:survey_answer", pk=pk)
    return _answer_page(request, invitation, form, action=request.path)


@secretariat_required
@require_GET
def staff_survey_list(request):
    """Surveys sent, with their counts, and the bodies that can be surveyed (two queries)."""
    return render(
        request,
        "bodies/staff/survey_list.html",
        {"surveys": selectors.survey_list_for_staff(), "bodies": selectors.bodies_with_current_members()},
    )


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_survey_new(request, slug):
    body = get_object_or_404(Body, slug=slug, is_active=True)
    form = SurveySendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_send(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The survey is sent to the %(count)s current members of %(body)s.")
                % {"count": survey.invitations.count(), "body": body},
            )
            return redirect("bodies:staff_survey_detail", pk=survey.pk)
    holders = [member for member, _seat in services.current_holders(body)]
    return render(request, "bodies/staff/survey_new.html", {"body": body, "form": form, "holders": holders})


@secretariat_required
@require_GET
def staff_survey_detail(request, pk):
    """The answers, who has not answered, the reminders and the history of one survey.

    Queries, whatever the number of members: the survey with its counts, the invitations with
    member, organisation, sector, seat and mail, the reminders with their member and mail, and
    the two histories.
    """
    survey = permissions.get_survey_for_staff_or_404(request.user, pk)
    invitations = list(selectors.survey_invitations_for_staff(survey))
    return render(
        request,
        "bodies/staff/survey_detail.html",
        {
            "survey": survey,
            "answered": [i for i in invitations if i.answer],
            "unanswered": [i for i in invitations if not i.answer],
            "reminders": list(selectors.survey_reminder_log(survey)),
            "history": selectors.survey_history(survey, invitations),
            "is_open": survey.is_open(),
        },
    )


@secretariat_required
@require_POST
def staff_survey_remind(request, pk):
    survey = permissions.get_survey_for_staff_or_404(request.user, pk)
    try:
        count = services.survey_remind_now(actor=request.user, survey=survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "A reminder is on its way to %(count)s member.",
                    "Reminders are on their way to %(count)s members.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("No one left to remind: every member has answered or was reminded."))
    return redirect("bodies:staff_survey_detail", pk=pk)
