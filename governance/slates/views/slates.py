"""Pages of slates: composing (the secretariat, or members of the proposing body), the nominees'
answers (signed link or logged in), and the public page of a slate that went to endorsement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.bodies.models import Body
from governance.slates import permissions, selectors
from governance.slates.forms.slates import NominationAnswerForm, NomineeEditForm, NomineeForm, SlateForm
from governance.slates.models import Nominee
from governance.slates.permissions import composer_required, member_required, secretariat_required
from governance.slates.services import slates as services
from governance.slates.services.checks import slate_nominees, slate_problems


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError beside the fields it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# ---------------------------------------------------------------- composing


@composer_required
@require_GET
def slate_list(request):
    """All slates for the secretariat; the slates of their bodies for a member composer (one query)."""
    if permissions.can_constitute(request.user):
        slates = selectors.slate_list_for_staff()
    else:
        slates = selectors.slate_list_for_composer(permissions.seated_body_ids(request.user))
    return render(
        request,
        "slates/slate_list.html",
        {"slates": slates, "is_staff": permissions.can_constitute(request.user)},
    )


@composer_required
@require_http_methods(["GET", "HEAD", "POST"])
def slate_new(request):
    user = request.user
    proposers = None
    if not permissions.can_constitute(user):
        proposers = Body.objects.filter(pk__in=permissions.seated_body_ids(user)).order_by("name")
    form = SlateForm(request.POST or None, proposers=proposers)
    if request.method == "POST" and form.is_valid():
        try:
            slate = services.slate_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The slate is created: add its nominees."))
            return redirect(slate)
    return render(request, "slates/slate_form.html", {"form": form})


@composer_required
@require_GET
def slate_detail(request, pk):
    """A slate's nominees, their answers, what keeps it from endorsement, its rounds and history."""
    slate = permissions.get_slate_to_compose_or_404(request.user, pk)
    nominees = slate_nominees(slate)
    return render(
        request,
        "slates/slate_detail.html",
        {
            "slate": slate,
            "nominees": nominees,
            "problems": slate_problems(slate, nominees),
            "rounds": services.slate_rounds(slate),
            "form": NomineeForm(body=slate.body),
            "history": selectors.slate_history(slate),
            "can_ask": permissions.can_ask_nominees(request.user),
            "can_constitute": permissions.can_constitute(request.user),
            "pending": [n for n in nominees if n.status == Nominee.Status.PENDING],
        },
    )


@composer_required
@require_http_methods(["GET", "HEAD", "POST"])
def nominee_add(request, pk):
    slate = permissions.get_slate_to_compose_or_404(request.user, pk)
    form = NomineeForm(request.POST or None, body=slate.body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nominee = services.nominee_add(
                actor=request.user, slate=slate, member=data["member"], role=data["role"], seat=data["seat"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is on the slate.") % {"name": nominee.member.full_name})
            return redirect(slate)
    return render(request, "slates/nominee_form.html", {"slate": slate, "form": form})


def _own_nominee(request, pk, nominee_pk):
    slate = permissions.get_slate_to_compose_or_404(request.user, pk)
    nominee = get_object_or_404(Nominee.objects.select_related("member", "seat"), slate=slate, pk=nominee_pk)
    nominee.slate = slate
    return slate, nominee


@composer_required
@require_http_methods(["GET", "HEAD", "POST"])
def nominee_edit(request, pk, nominee_pk):
    slate, nominee = _own_nominee(request, pk, nominee_pk)
    form = NomineeEditForm(
        request.POST or None, body=slate.body, initial={"role": nominee.role, "seat": nominee.seat}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.nominee_update(actor=request.user, nominee=nominee, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The nominee's role and seat are saved."))
            return redirect(slate)
    return render(request, "slates/nominee_edit.html", {"slate": slate, "nominee": nominee, "form": form})


@composer_required
@require_POST
def nominee_remove(request, pk, nominee_pk):
    slate, nominee = _own_nominee(request, pk, nominee_pk)
    try:
        services.nominee_remove(actor=request.user, nominee=nominee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is no longer on the slate.") % {"name": nominee.member.full_name}
        )
    return redirect(slate)


@secretariat_required
@require_POST
def slate_ask(request, pk):
    slate = permissions.get_slate_to_compose_or_404(request.user, pk)
    try:
        count = services.slate_ask_nominees(actor=request.user, slate=slate)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s nominee is asked to accept.", "%(count)s nominees are asked to accept.", count
            )
            % {"count": count},
        )
    return redirect(slate)


@composer_required
@require_POST
def slate_revise(request, pk):
    slate = permissions.get_slate_to_compose_or_404(request.user, pk)
    try:
        revision = services.slate_revise(actor=request.user, slate=slate)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(slate)
    messages.success(
        request,
        _("Round %(round)s of the slate: its nominees are asked to accept again.")
        % {"round": revision.round},
    )
    return redirect(revision)


# ---------------------------------------------------------------- the nominees' answers
# The signed link is the only authority on its page: no login. Mail scanners follow links, so
# opening it (GET) only shows the question; the form's POST records the answer.


def _refused(request, error: ValidationError):
    """A clear page for a link or an answer refused: nothing was recorded."""
    codes = {getattr(item, "code", None) for item in error.error_list}
    kind, status = "invalid", 404
    for code, code_status in (("expired", 410), ("closed", 410), ("other_member", 403)):
        if code in codes:
            kind, status = code, code_status
            break
    return render(
        request,
        "slates/nomination_refused.html",
        {"error": " ".join(error.messages), "kind": kind},
        status=status,
    )


def _answer_page(request, nominee, form):
    return render(
        request, "slates/nomination_answer.html", {"nominee": nominee, "slate": nominee.slate, "form": form}
    )


def _initial(nominee) -> dict:
    accept = {Nominee.Status.ACCEPTED: "yes", Nominee.Status.DECLINED: "no"}.get(nominee.status)
    return {"accept": accept, "comment": nominee.comment}


def _thank(request, nominee) -> None:
    if nominee.status == Nominee.Status.ACCEPTED:
        messages.success(request, _("Thank you: you accepted the nomination."))
    else:
        messages.success(request, _("Thank you: you declined the nomination."))


@require_http_methods(["GET", "HEAD", "POST"])
def nominee_answer_link(request, token):
    """The nominee's answer page reached through the signed link of their mail, without logging in."""
    try:
        nominee = services.nominee_link_read(token)
        services.nominee_link_check_user(nominee, request.user)
    except ValidationError as error:
        return _refused(request, error)
    form = NominationAnswerForm(request.POST or None, initial=_initial(nominee))
    if request.method == "POST" and form.is_valid():
        try:
            nominee = services.nominee_answer_by_link(token=token, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            return _refused(request, error)
        _thank(request, nominee)
        return redirect("slates:nominee_answer_link", token=token)
    return _answer_page(request, nominee, form)


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def nominee_answer(request, pk):
    """The logged-in member accepts or declines their own nomination."""
    nominee = permissions.get_own_nominee_or_404(request.user, pk)
    form = NominationAnswerForm(request.POST or None, initial=_initial(nominee))
    if request.method == "POST" and form.is_valid():
        try:
            nominee = services.nominee_answer(actor=request.user, nominee=nominee, **form.cleaned_data)
        except ValidationError as error:
            return _refused(request, error)
        _thank(request, nominee)
        return redirect("slates:nominee_answer", pk=pk)
    return _answer_page(request, nominee, form)


# ---------------------------------------------------------------- public


@require_GET
def public_slate_list(request):
    """Slates that went to endorsement (one query for the list)."""
    return render(request, "slates/public_list.html", {"slates": selectors.slate_list_public()})


@require_GET
def public_slate_detail(request, pk):
    """A slate the network was asked to endorse: nominees with sector and organisation, status, outcome."""
    slate = permissions.get_public_slate_or_404(pk)
    window = getattr(slate, "window", None)
    return render(
        request,
        "slates/public_detail.html",
        {
            "slate": slate,
            "nominees": slate_nominees(slate),
            "window": window,
            "rounds": [s for s in services.slate_rounds(slate) if permissions.is_public(s)],
        },
    )
