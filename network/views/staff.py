"""The secretariat's pages: applications, member records, invitations, pledges and the means test.

Every view is behind ``secretariat_required`` (staff with MFA). Views validate a form, call one
service and redirect with a message; the rules live in ``network.services``.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casm.history import history_rows
from casm.outbox.selectors import outbox_totals
from network import selectors
from network.dashboard import staff_panels
from network.forms.staff import (
    ApproveForm,
    IncomeGroupForm,
    IncomeGroupRemoveForm,
    InformationRequestForm,
    InviteForm,
    MeansTestRuleForm,
    MemberEmailForm,
    OrganisationContactForm,
    OrganisationDecisionForm,
    PledgePublishForm,
    RejectForm,
    StatusChangeForm,
    TermForm,
)
from network.models import MeansTestRule, Member, Membership, Organisation, OrganisationChangeRequest
from network.permissions import secretariat_required
from network.services import invitations as invitation_services
from network.services import means_test as means_test_services
from network.services import members as member_services
from network.services import membership as membership_services
from network.services import organisation_requests as organisation_request_services
from network.services import organisations as organisation_services
from network.services import pledges as pledge_services

Status = Membership.Status


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors_text(form) -> str:
    """The errors of a form as one sentence, for the message shown after a redirect."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


# ---------------------------------------------------------------- landing page and the queue


@secretariat_required
def staff_home(request):
    """The secretariat's landing page: what is waiting, and where everything is."""
    counts = {
        **selectors.membership_counts_for_staff(),
        "organisation_requests": selectors.organisation_requests_pending_count(),
    }
    counts.update({f"mail_{key}": value for key, value in outbox_totals().items()})
    return render(request, "network/staff/home.html", {"counts": counts, "panels": staff_panels()})


@secretariat_required
def applications(request):
    """Open applications, oldest first.

    Queries, whatever the number of rows: the count of the paginator and one page of memberships
    with member, organisation, sector, chamber and sub-chamber joined.
    """
    page = Paginator(selectors.membership_applications_list(), settings.MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "network/staff/applications.html", {"page": page})


# ---------------------------------------------------------------- a member's record


def _member_or_404(pk) -> Member:
    return get_object_or_404(selectors.member_queryset_for_staff(), pk=pk)


def _membership_or_404(pk) -> Membership:
    member = _member_or_404(pk)
    membership = getattr(member, "membership", None)
    if membership is None:
        raise Http404(_("This person has no membership."))
    return membership


def _render_member(request, member: Member, bound: dict | None = None):
    """The record page; ``bound`` replaces the blank form of the action that was posted with errors."""
    membership = getattr(member, "membership", None)
    forms = {}
    if membership is not None:
        if membership.status == Status.APPLIED:
            forms = {
                "approve_form": ApproveForm(prefix="approve"),
                "information_form": InformationRequestForm(prefix="information"),
                "reject_form": RejectForm(prefix="reject"),
            }
        else:
            forms = {"term_form": TermForm(prefix="term", initial=_term_initial(membership))}
            if membership_services.ALLOWED_TRANSITIONS.get(membership.status):
                forms["status_form"] = StatusChangeForm(prefix="status", membership=membership)
    forms.update(bound or {})
    change_requests = list(selectors.organisation_requests_of(member))
    context = {
        "member": member,
        "membership": membership,
        "affirmations": member.affirmations.select_related("pledge").order_by(
            "pledge__kind", "-pledge__version"
        ),
        "pending_pledges": pledge_services.pledges_pending_for(member),
        "change_requests": change_requests,
        "mail_bounce": selectors.member_mail_bounce(member),
        "email_form": MemberEmailForm(prefix="email", initial={"email": member.email}),
        "history": history_rows(member, membership, member.organisation, *change_requests),
        **forms,
    }
    return render(request, "network/staff/member_detail.html", context)


def _term_initial(membership: Membership) -> dict:
    return {"term_start": membership.term_start, "term_end": membership.term_end}


@secretariat_required
def member_detail(request, pk):
    """A member's record: who they are, their membership, pledges, history and the staff actions."""
    return _render_member(request, _member_or_404(pk))


def _membership_action(request, pk, *, form_class, prefix, call, done, form_kwargs=None):
    """Validate the posted form, call the service, go back to the record with a message.

    An invalid form re-renders the record with the errors beside the fields; a ValidationError
    of the service becomes an error message. Either way nothing is changed.
    """
    membership = _membership_or_404(pk)
    form = form_class(request.POST, prefix=prefix, **(form_kwargs(membership) if form_kwargs else {}))
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _form_errors_text(form)})
        return _render_member(request, membership.member, bound={f"{prefix}_form": form})
    try:
        call(membership, form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _error_text(error)})
    else:
        messages.success(request, done)
    return redirect("network:staff_member_detail", pk=pk)


@secretariat_required
@require_POST
def member_email(request, pk):
    """Staff correct the address the member's mail goes to (after a bounce, say)."""
    member = _member_or_404(pk)
    form = MemberEmailForm(request.POST, prefix="email")
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _form_errors_text(form)})
        return _render_member(request, member, bound={"email_form": form})
    try:
        member_services.member_email_correct(
            member=member,
            email=form.cleaned_data["email"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _error_text(error)})
    else:
        messages.success(
            request, _("The address is saved. Failed mail can now be sent again from the mail page.")
        )
    return redirect("network:staff_member_detail", pk=pk)


@secretariat_required
@require_POST
def membership_approve(request, pk):
    return _membership_action(
        request,
        pk,
        form_class=ApproveForm,
        prefix="approve",
        call=lambda membership, data: membership_services.membership_approve(
            membership=membership, actor=request.user, reason=data["reason"]
        ),
        done=_("The application was approved; the member has been told by email."),
    )


@secretariat_required
@require_POST
def membership_reject(request, pk):
    return _membership_action(
        request,
        pk,
        form_class=RejectForm,
        prefix="reject",
        call=lambda membership, data: membership_services.membership_reject(
            membership=membership, actor=request.user, reason=data["reason"]
        ),
        done=_("The application was rejected; the applicant has been told the reason by email."),
    )


@secretariat_required
@require_POST
def membership_request_information(request, pk):
    return _membership_action(
        request,
        pk,
        form_class=InformationRequestForm,
        prefix="information",
        call=lambda membership, data: membership_services.membership_request_information(
            membership=membership, actor=request.user, question=data["question"]
        ),
        done=_("Your question was sent to the applicant."),
    )


@secretariat_required
@require_POST
def membership_status(request, pk):
    return _membership_action(
        request,
        pk,
        form_class=StatusChangeForm,
        prefix="status",
        form_kwargs=lambda membership: {"membership": membership},
        call=lambda membership, data: membership_services.membership_change_status(
            membership=membership, actor=request.user, status=data["status"], reason=data["reason"]
        ),
        done=_("The membership status was changed."),
    )


@secretariat_required
@require_POST
def membership_term(request, pk):
    return _membership_action(
        request,
        pk,
        form_class=TermForm,
        prefix="term",
        call=lambda membership, data: membership_services.membership_set_term(
            membership=membership,
            actor=request.user,
            term_start=data["term_start"],
            term_end=data["term_end"],
            reason=data["reason"],
        ),
        done=_("The membership term was changed."),
    )


@secretariat_required
@require_POST
def membership_fee_tier(request, pk):
    membership = _membership_or_404(pk)
    before = (membership.fee_tier, membership.fee_rule_id)
    try:
        membership = membership_services.membership_recompute_fee_tier(
            membership=membership, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _error_text(error)})
    else:
        if (membership.fee_tier, membership.fee_rule_id) == before:
            messages.info(request, _("The means test gives the same fee tier: nothing changed."))
        else:
            messages.success(
                request, _("The fee tier is now: %(tier)s.") % {"tier": membership.get_fee_tier_display()}
            )
    return redirect("network:staff_member_detail", pk=pk)


# ---------------------------------------------------------------- requests to change organisation


@secretariat_required
def organisation_requests(request):
    """Members' requests to change organisation, those waiting first.

    Queries, whatever the number of rows: the paginator's count and one page of requests with the
    member, membership and organisations joined.
    """
    page = Paginator(selectors.organisation_requests_for_staff(), settings.MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "network/staff/organisation_requests.html", {"page": page})


def _render_organisation_request(request, change: OrganisationChangeRequest, bound: dict | None = None):
    tier, rule = selectors.organisation_request_fee_preview(change)
    forms = {
        "approve_form": OrganisationDecisionForm(prefix="approve"),
        "decline_form": OrganisationDecisionForm(prefix="decline", required=True),
        **(bound or {}),
    }
    context = {
        "change": change,
        "member": change.member,
        "membership": getattr(change.member, "membership", None),
        "preview_tier": Membership(fee_tier=tier).get_fee_tier_display(),
        "preview_rule": rule,
        "history": history_rows(change),
        **forms,
    }
    return render(request, "network/staff/organisation_request.html", context)


def _organisation_request_or_404(pk) -> OrganisationChangeRequest:
    return get_object_or_404(selectors.organisation_requests_for_staff(), pk=pk)


@secretariat_required
def organisation_request(request, pk):
    """One request: who asks, for which organisation, the fee tier it would give, approve or decline."""
    return _render_organisation_request(request, _organisation_request_or_404(pk))


def _organisation_decision(request, pk, *, prefix, required, call, done):
    change = _organisation_request_or_404(pk)
    form = OrganisationDecisionForm(request.POST, prefix=prefix, required=required)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _form_errors_text(form)})
        return _render_organisation_request(request, change, bound={f"{prefix}_form": form})
    try:
        call(change, form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _error_text(error)})
        return redirect("network:staff_organisation_request", pk=pk)
    messages.success(request, done)
    return redirect("network:staff_member_detail", pk=change.member_id)


@secretariat_required
@require_POST
def organisation_request_approve(request, pk):
    return _organisation_decision(
        request,
        pk,
        prefix="approve",
        required=False,
        call=lambda change, reason: organisation_request_services.organisation_change_approve(
            change=change, actor=request.user, reason=reason
        ),
        done=_(
            "The organisation was changed and the fee tier follows the means test; "
            "the member has been told by email."
        ),
    )


@secretariat_required
@require_POST
def organisation_request_decline(request, pk):
    return _organisation_decision(
        request,
        pk,
        prefix="decline",
        required=True,
        call=lambda change, reason: organisation_request_services.organisation_change_decline(
            change=change, actor=request.user, reason=reason
        ),
        done=_("The request was declined; the member has been told the reason by email."),
    )


# ---------------------------------------------------------------- organisations


@secretariat_required
def organisation_detail(request, pk):
    """An organisation: its facts, its members and its history."""
    organisation = get_object_or_404(Organisation.objects.select_related("contact"), pk=pk)
    context = {
        "organisation": organisation,
        "members": selectors.organisation_members_for_staff(organisation),
        "history": history_rows(organisation),
        "contact_form": OrganisationContactForm(organisation=organisation, prefix="contact"),
    }
    return render(request, "network/staff/organisation_detail.html", context)


@secretariat_required
@require_POST
def organisation_contact(request, pk):
    """Name the organisation's official contact, who may answer consultations on its behalf."""
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationContactForm(request.POST, organisation=organisation, prefix="contact")
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: choose one of the organisation's active members."))
        return redirect("network:staff_organisation_detail", pk=pk)
    try:
        organisation_services.organisation_set_contact(
            organisation=organisation, member=form.cleaned_data["contact"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _error_text(error)})
    else:
        messages.success(request, _("The official contact is saved."))
    return redirect("network:staff_organisation_detail", pk=pk)


# ---------------------------------------------------------------- invitations


@secretariat_required
def invite(request):
    """Staff invite a person by email; the link in the mail lets them set a password."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_services.invitation_send(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                country=data["country"],
                sector=data["sector"],
                organisation=data["organisation"],
                role=data["role"],
                languages=data["languages"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": data["email"]})
            return redirect("network:staff_member_detail", pk=invitation.member_id)
    return render(request, "network/staff/invite.html", {"form": form})


# ---------------------------------------------------------------- pledges


@secretariat_required
def pledge_list(request):
    """Each kind of pledge: its versions, and who affirmed which version of it.

    Queries, whatever the number of members: the pledges with their publishers, then for each
    kind the count of members it binds (the paginator's), how many affirmed the version in force,
    and one page of members annotated with the newest version they affirmed.
    """
    kinds = selectors.pledge_versions_by_kind()
    for entry in kinds:
        rows = selectors.pledge_affirmation_rows(entry["kind"])
        entry["page_param"] = f"{entry['kind']}_page"
        entry["page"] = Paginator(rows, settings.MEMBERS_PAGE_SIZE).get_page(
            request.GET.get(entry["page_param"])
        )
        current = entry["current"]
        entry["bound_count"] = entry["page"].paginator.count
        entry["affirmed_count"] = selectors.pledge_affirmed_count(current) if current else 0
    return render(request, "network/staff/pledges.html", {"kinds": kinds})


@secretariat_required
def pledge_publish(request):
    """Staff publish a new version of a pledge text."""
    form = PledgePublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pledge = pledge_services.pledge_publish(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Version %(version)s of “%(kind)s” is published; members are asked to affirm it.")
                % {"version": pledge.version, "kind": pledge.get_kind_display()},
            )
            return redirect("network:staff_pledges")
    return render(request, "network/staff/pledge_publish.html", {"form": form})


# ---------------------------------------------------------------- the means test


@secretariat_required
def means_test(request):
    """The means-test rules in priority order, the income groups, and re-applying the test to everyone."""
    if request.method == "POST":
        changed = membership_services.membership_recompute_fee_tiers_all(actor=request.user)
        messages.success(
            request,
            _("The means test was applied to every membership: %(count)s changed fee tier.")
            % {"count": changed},
        )
        return redirect("network:staff_means_test")
    context = {
        "rules": selectors.means_test_rules_list(),
        "income_groups": selectors.country_income_groups_list(),
        "tier_counts": selectors.fee_tier_counts(),
    }
    return render(request, "network/staff/means_test.html", context)


@secretariat_required
def means_test_rule_edit(request, pk=None):
    """Create a rule (no pk) or change one."""
    rule = get_object_or_404(MeansTestRule, pk=pk) if pk is not None else None
    saved_name = rule.name if rule else ""  # validating a ModelForm writes the input onto its instance
    form = MeansTestRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            means_test_services.means_test_rule_save(actor=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The rule was saved. Re-apply the means test for it to change members' fee tiers."),
            )
            return redirect("network:staff_means_test")
    return render(
        request, "network/staff/rule_form.html", {"form": form, "rule": rule, "saved_name": saved_name}
    )


@secretariat_required
@require_POST
def means_test_rule_delete(request, pk):
    rule = get_object_or_404(MeansTestRule, pk=pk)
    changed = means_test_services.means_test_rule_delete(actor=request.user, rule=rule)
    messages.success(
        request,
        _("The rule “%(name)s” was deleted; %(count)s memberships it had set were tested again.")
        % {"name": rule.name, "count": changed},
    )
    return redirect("network:staff_means_test")


@secretariat_required
def income_groups(request):
    """Set, change or remove a country's income group (an input of the means test)."""
    entries = selectors.country_income_groups_list()
    country = request.GET.get("country", "")
    current = {entry.country.code: entry.group for entry in entries}
    form = IncomeGroupForm(initial={"country": country, "group": current.get(country, "")})
    if request.method == "POST":
        if "remove" in request.POST:
            remove_form = IncomeGroupRemoveForm(request.POST)
            if not remove_form.is_valid():
                messages.error(request, _("Choose a valid country."))
                return redirect("network:staff_income_groups")
            country = remove_form.cleaned_data["country"]
            try:
                means_test_services.country_income_group_remove(actor=request.user, country=country)
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("The income group of that country was removed."))
            return redirect("network:staff_income_groups")
        form = IncomeGroupForm(request.POST)
        if form.is_valid():
            entry = means_test_services.country_income_group_set(actor=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("%(country)s: %(group)s.")
                % {"country": entry.country.name, "group": entry.get_group_display()},
            )
            return redirect("network:staff_income_groups")
    context = {"form": form, "income_groups": entries}
    return render(request, "network/staff/income_groups.html", context)
