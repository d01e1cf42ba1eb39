"""Pages of the endorsement by the network: members answer (signed link or logged in), staff open,
watch turnout and extend, anyone reads the outcome after the close."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casm.history import history_rows
from casm.timezones import utc_to_local
from governance.slates import selectors
from governance.slates.forms.endorsement import EndorsementAnswerForm, WindowExtendForm, WindowOpenForm
from governance.slates.models import Slate
from governance.slates.services import endorsement as services
from governance.slates.services.checks import slate_problems
from network.permissions import member_of, member_required, secretariat_required

# The signed link is the only authority on its page: no login. Mail scanners follow links, so
# opening it (GET) only shows the question; the form's POST records the answer.


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _refused(request, error: ValidationError):
    """A clear page for a link or an answer refused: nothing was recorded."""
    codes = {getattr(item, "code", None) for item in error.error_list}
    status = {"expired": 410, "closed": 410, "used": 409, "other_member": 403}
    kind = next((code for code in status if code in codes), "invalid")
    return render(
        request,
        "slates/endorsement/refused.html",
        {"error": " ".join(error.messages), "kind": kind},
        status=status.get(kind, 404),
    )


def _answer_page(request, invitation, answer, form, *, action):
    window = invitation.window
    return render(
        request,
        "slates/endorsement/answer.html",
        {
            "window": window,
            "slate": window.slate,
            "nominees": window.slate.nominees.select_related("member__organisation", "member__sector"),
            "answer": answer,
            "form": form,
            "action": action,
        },
    )


def _answer_flow(request, invitation, answer, record, redirect_to):
    if not services.window_is_open(invitation.window):
        return _refused(request, services.window_closed_error())
    if answer is not None and not invitation.window.answers_can_change:
        return _refused(
            request,
            ValidationError(
                _("You have already answered, and answers in this window cannot be changed."), code="used"
            ),
        )
    initial = {"choice": answer.choice, "comment": answer.comment} if answer else {}
    form = EndorsementAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record(**form.cleaned_data)
        except ValidationError as error:
            return _refused(request, error)
        messages.success(request, _("Thank you: your answer is recorded."))
        return redirect(redirect_to)
    return _answer_page(request, invitation, answer, form, action=request.path)


@require_http_methods(["GET", "HEAD", "POST"])
def endorsement_link(request, token):
    """The member's answer page reached through the signed link of their mail, without logging in.

    A valid POST goes straight to the service, which reads the link and decides; the page is only
    built to show the form (GET, or a form with errors).
    """
    if request.method == "POST":
        form = EndorsementAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.window_answer_by_link(token=token, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                return _refused(request, error)
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect(request.path)
    try:
        invitation = services.window_link_read(token)
        services.window_link_check_user(invitation, request.user)
    except ValidationError as error:
        return _refused(request, error)
    answer = invitation.window.answers.filter(member_id=invitation.member_id).first()

    def record(**data):
        services.window_answer_by_link(token=token, actor=request.user, **data)

    return _answer_flow(request, invitation, answer, record, request.path)


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def endorsement_answer(request, pk):
    """The logged-in member answers in a window whose audience they are in (404 for anyone else)."""
    window = selectors.window_public(pk)
    invitation = selectors.own_invitation(window, member_of(request.user)) if window else None
    if invitation is None:
        raise Http404
    invitation.window = window

    def record(**data):
        services.window_answer(actor=request.user, window=window, **data)

    return _answer_flow(request, invitation, invitation.answer, record, request.path)


@require_GET
def endorsement_outcome(request, pk):
    """The window's outcome with its figures per chamber, for anyone, once counted."""
    window = selectors.window_public(pk)
    if window is None:
        raise Http404
    context = {"window": window, "slate": window.slate, "rows": selectors.window_outcome_rows(window)}
    return render(request, "slates/endorsement/outcome.html", context)


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_window_open(request, pk):
    """Open a slate's endorsement: the form, with what stops the slate (the service decides)."""
    slate = get_object_or_404(Slate.objects.select_related("body"), pk=pk)
    form = WindowOpenForm(
        request.POST or None, initial={"audience": "all_active", "rule": "objection_threshold"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            window = services.window_open(actor=request.user, slate=slate, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The endorsement window is open; the audience is being invited."))
            return redirect("slates:staff_window_detail", pk=window.pk)
    return render(
        request,
        "slates/endorsement/staff_open.html",
        {"slate": slate, "form": form, "problems": slate_problems(slate)},
    )


@secretariat_required
@require_GET
def staff_window_detail(request, pk):
    """Turnout by chamber (never who said what), mail failures, reminders sent and the history.

    Queries, whatever the number of invitations: the window with slate, body and opener; its
    chambers; the invitations and the answers per chamber; the failed invitation mail; the
    reminders by offset; the histories of the window (with its chambers) and of the slate.
    """
    window = selectors.window_for_staff(pk)
    if window is None:
        raise Http404
    turnout = selectors.window_turnout(window)
    return render(
        request,
        "slates/endorsement/staff_detail.html",
        {
            "window": window,
            "slate": window.slate,
            "is_open": services.window_is_open(window),
            "turnout": turnout,
            "invited": sum(row["invited"] for row in turnout),
            "answered": sum(row["answered"] for row in turnout),
            "mail_failures": selectors.window_mail_failures(window),
            "reminders": selectors.window_reminders_log(window),
            "history": history_rows(window, window.slate),
        },
    )


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_window_extend(request, pk):
    window = selectors.window_for_staff(pk)
    if window is None:
        raise Http404
    form = WindowExtendForm(
        request.POST or None, initial={"closes_at": utc_to_local(window.closes_at, window.time_zone)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.window_extend(actor=request.user, window=window, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The close is extended."))
            return redirect("slates:staff_window_detail", pk=window.pk)
    return render(request, "slates/endorsement/staff_extend.html", {"window": window, "form": form})
