"""A member's own pages: membership, profile, pledges, the reply to the secretariat; invitations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from network import selectors
from network.dashboard import panels_for
from network.forms.member import (
    InvitationPasswordForm,
    OrganisationChangeForm,
    PledgeAffirmForm,
    ProfileForm,
    ReplyForm,
)
from network.models import Member
from network.permissions import member_required
from network.services import invitations as invitation_services
from network.services.membership import membership_reply_information
from network.services.pledges import pledge_affirm, pledge_affirmations_for, pledges_pending_for
from network.services.profile import member_update_profile, organisation_change_request

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _own_member(request) -> Member:
    """The viewer's member record with what the pages show joined in (one query)."""
    return Member.objects.select_related(
        "membership", "organisation", "sector__chamber", "sub_chamber", "user"
    ).get(user=request.user)


def _add_errors(form, error: ValidationError) -> None:
    form.add_error(None, error)


@member_required
@require_http_methods(["GET"])
def me(request):
    """My membership: status, term, fee tier, the secretariat's question, pledges to affirm."""
    member = _own_member(request)
    return _render_me(request, member, reply_form=ReplyForm())


def _render_me(request, member, *, reply_form):
    membership = getattr(member, "membership", None)
    context = {
        "member": member,
        "membership": membership,
        "pending_pledges": pledges_pending_for(member),
        "affirmations": list(pledge_affirmations_for(member)),
        "reply_form": reply_form,
        "language_names": [str(LANGUAGE_NAMES.get(code, code)) for code in member.languages or []],
        "panels": panels_for(member),
    }
    return render(request, "network/member/me.html", context)


@member_required
@require_POST
def reply_information(request):
    """The applicant answers the secretariat's question."""
    member = _own_member(request)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            membership_reply_information(
                membership=member.membership, actor=request.user, reply=form.cleaned_data["reply"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your reply was sent to the secretariat."))
        return redirect("network:me")
    return _render_me(request, member, reply_form=form)


@member_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """The member changes their name, country, languages, role, directory listing and preferred
    language; their organisation is a request to the secretariat (``organisation_change``)."""
    member = _own_member(request)
    initial = {
        "full_name": member.full_name,
        "country": member.country.code,
        "languages": member.languages,
        "role": member.role,
        "listed_in_directory": member.listed_in_directory,
        "preferred_language": request.user.preferred_language,
    }
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member_update_profile(member=member, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("network:me")
    context = {
        "member": member,
        "form": form,
        "change_requests": selectors.organisation_requests_of(member)[:5],
    }
    return render(request, "network/member/profile_edit.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def organisation_change(request):
    """The member asks the secretariat to change their organisation (it can change the fee tier)."""
    member = _own_member(request)
    change_requests = list(selectors.organisation_requests_of(member)[:5])
    pending = next((change for change in change_requests if change.is_pending), None)
    form = OrganisationChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            organisation_change_request(member=member, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Your request was sent to the secretariat; we will email you their decision.")
            )
            return redirect("network:profile_edit")
    context = {"member": member, "form": form, "pending": pending, "change_requests": change_requests}
    return render(request, "network/member/organisation_change.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def pledges(request):
    """The pledge texts in force that the member has not affirmed yet, and a form to affirm them."""
    member = _own_member(request)
    pending = pledges_pending_for(member)
    # Bound on every POST: a post with no box ticked is empty, and must still show its errors.
    form = PledgeAffirmForm(request.POST if request.method == "POST" else None, pledges=pending)
    if request.method == "POST" and pending:
        if form.is_valid():
            try:
                pledge_affirm(member=member, pledges=pending, actor=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Thank you: your commitments are recorded."))
                return redirect("network:me")
        # Say at the top what is missing, not only beside each box further down the page.
        messages.error(request, _("Nothing was recorded: tick the box under each commitment to affirm it."))
    context = {
        "member": member,
        "form": form,
        "pending": pending,
        "affirmations": list(pledge_affirmations_for(member)),
    }
    return render(request, "network/member/pledges.html", context)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The invitee sets a password; the link proves their address. Bad links change nothing."""
    try:
        invitation = invitation_services.invitation_get_valid(token)
    except invitation_services.InvitationError as error:
        status = 404 if error.code == invitation_services.INVALID else 410
        return render(
            request, "network/member/invitation_invalid.html", {"error": error.message}, status=status
        )
    form = InvitationPasswordForm(request.POST or None, member=invitation.member)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except invitation_services.InvitationError as error:
            status = 404 if error.code == invitation_services.INVALID else 410
            return render(
                request, "network/member/invitation_invalid.html", {"error": error.message}, status=status
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Welcome to the network: your account is ready."))
            return redirect("network:me")
    context = {"invitation": invitation, "member": invitation.member, "form": form}
    return render(request, "network/member/invitation_accept.html", context)
