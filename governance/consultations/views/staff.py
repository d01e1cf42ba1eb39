"""The secretariat builds and manages consultations, and decides on requests for more time.

Every view is behind ``secretariat_required`` (staff with MFA). Views validate a form, call one
service of ``services.consultations`` or ``services.extensions`` and
redirect with a message; the rules live in the services.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.consultations.forms.staff import (
    ConsultationForm,
    ExtensionDeclineForm,
    ExtensionGrantForm,
    MoveForm,
    OptionForm,
    PublishForm,
    SectionForm,
)
from governance.consultations.permissions import (
    MANAGE,
    get_consultation_or_404,
    get_extension_request_or_404,
    get_option_or_404,
    get_section_or_404,
    secretariat_required,
)
from governance.consultations.selectors import audience as selectors
from governance.consultations.selectors import staff as selectors_staff
from governance.consultations.services import consultations as services
from governance.consultations.services import extensions as extension_services

LIST_PAGE_SIZE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError beside the fields it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _detail(consultation, anchor: str = ""):
    url = reverse("consultations:staff_consultation_detail", args=[consultation.slug])
    return redirect(f"{url}#{anchor}" if anchor else url)


# ---------------------------------------------------------------- consultations


@secretariat_required
def consultation_list(request):
    """Every consultation with its status and counts.

    Queries, whatever the number of rows: the viewer's session, account, groups and MFA; the
    paginator's count; one page of consultations with their response and request counts (subqueries).
    """
    page = Paginator(selectors_staff.consultation_list_for_staff(), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page}
    return render(request, "consultations/staff/consultation_list.html", context)


@secretariat_required
def consultation_new(request):
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The consultation was created. Add its sections, then publish it."))
            return _detail(consultation)
    return render(request, "consultations/staff/consultation_form.html", {"form": form, "consultation": None})


@secretariat_required
def consultation_detail(request, slug):
    """The overview: status, audience, counts, the sections and options, and what staff can do."""
    consultation = get_consultation_or_404(
        request.user, slug, MANAGE, queryset=selectors_staff.consultation_detail_queryset()
    )
    context = {
        "consultation": consultation,
        "audience_size": selectors.consultation_audience(consultation).count(),
        "chambers": consultation.chambers.all(),
        "has_responses": consultation.submitted_count + consultation.draft_count > 0,
        "sections": consultation.sections.all(),
        "missing_translations": selectors_staff.missing_translations(consultation),
    }
    return render(request, "consultations/staff/consultation_detail.html", context)


@secretariat_required
def consultation_edit(request, slug):
    consultation = get_consultation_or_404(request.user, slug, MANAGE)
    form = ConsultationForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(consultation=consultation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The consultation was saved."))
            return _detail(consultation)
    return render(
        request, "consultations/staff/consultation_form.html", {"form": form, "consultation": consultation}
    )


@secretariat_required
@require_POST
def consultation_publish(request, slug):
    """Publish or unpublish (``action``)."""
    consultation = get_consultation_or_404(request.user, slug, MANAGE)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: choose to publish or unpublish."))
        return _detail(consultation)
    publishing = form.cleaned_data["action"] == "publish"
    service = services.consultation_publish if publishing else services.consultation_unpublish
    try:
        service(consultation=consultation, actor=request.user)
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _error_text(error)})
    else:
        messages.success(
            request,
            _("The consultation is published.")
            if publishing
            else _("The consultation is no longer published."),
        )
    return _detail(consultation)


@secretariat_required
@require_POST
def consultation_delete(request, slug):
    consultation = get_consultation_or_404(request.user, slug, MANAGE)
    try:
        services.consultation_delete(consultation=consultation, actor=request.user)
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _error_text(error)})
        return _detail(consultation)
    messages.success(request, _("The consultation “%(title)s” was deleted.") % {"title": consultation.title})
    return redirect("consultations:staff_consultation_list")


@secretariat_required
def consultation_preview(request, slug):
    """The respondent's page, rendered by the respondent's own template and form, every field
    switched off. A press on its buttons comes back here and changes nothing."""
    from governance.consultations.forms.responses import ResponseForm  # the respondents' area
    from governance.consultations.selectors.responses import consultation_sections
    from governance.consultations.templatetags.consultation_times import format_in_zone

    consultation = get_consultation_or_404(request.user, slug, MANAGE)
    sections = consultation_sections(consultation)
    form = ResponseForm(sections=sections)
    for field in form.fields.values():
        field.disabled = True
    if request.method == "POST":
        messages.warning(request, _("Nothing was saved or sent: this is a preview."))
    messages.info(
        request,
        _(
            "Preview, as a respondent sees it (status: %(status)s). Every field is switched off; "
            "nothing here is saved or sent."
        )
        % {"status": consultation.state_label},
    )
    context = {
        "consultation": consultation,
        "sections": sections,
        "form": form,
        "deadline": format_in_zone(consultation.closes_at, consultation.time_zone),
        "response": None,
        "submitted": False,
        "preview": True,
    }
    return render(request, "consultations/staff/consultation_preview.html", context)


@secretariat_required
def consultation_history(request, slug):
    """Who changed the consultation, its sections and options, and decided requests, and when."""
    consultation = get_consultation_or_404(request.user, slug, MANAGE)
    context = {"consultation": consultation, "history": selectors_staff.consultation_history(consultation)}
    return render(request, "consultations/staff/consultation_history.html", context)


# ---------------------------------------------------------------- sections


def _section_form(request, consultation, section=None):
    initial = None
    if section:
        initial = {"title": section.title, "body": section.body, "mode": section.mode}
        initial |= SectionForm.translation_initial(section)
    original = (section or consultation).content_language
    form = SectionForm(request.POST or None, initial=initial, original=original)
    mode_locked = section is not None and services.has_responses(consultation)
    if mode_locked:
        form.fields["mode"].disabled = True
        form.fields["mode"].help_text = _(
            "People have answered this consultation: the mode can no longer change."
        )
    return form


@secretariat_required
def section_new(request, slug):
    consultation = get_consultation_or_404(request.user, slug, MANAGE)
    form = _section_form(request, consultation)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_create(
                consultation=consultation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The section was added."))
            return _detail(consultation, f"section-{section.pk}")
    context = {"form": form, "consultation": consultation, "section": None}
    return render(request, "consultations/staff/section_form.html", context)


@secretariat_required
def section_edit(request, slug, pk):
    section = get_section_or_404(request.user, pk, MANAGE, slug=slug)
    consultation = section.consultation
    saved_title = section.title
    form = _section_form(request, consultation, section)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(section=section, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The section was saved."))
            return _detail(consultation, f"section-{section.pk}")
    context = {"form": form, "consultation": consultation, "section": section, "saved_title": saved_title}
    return render(request, "consultations/staff/section_form.html", context)


@secretariat_required
@require_POST
def section_delete(request, slug, pk):
    section = get_section_or_404(request.user, pk, MANAGE, slug=slug)
    try:
        services.section_delete(section=section, actor=request.user)
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _error_text(error)})
    else:
        messages.success(request, _("The section “%(title)s” was deleted.") % {"title": section.title})
    return _detail(section.consultation)


@secretariat_required
@require_POST
def section_move(request, slug, pk):
    section = get_section_or_404(request.user, pk, MANAGE, slug=slug)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.section_move(section=section, actor=request.user, direction=form.cleaned_data["direction"])
        messages.success(request, _("The section was moved."))
    else:
        messages.error(request, _("Nothing was changed: move up or down."))
    return _detail(section.consultation, f"section-{section.pk}")


# ---------------------------------------------------------------- options


@secretariat_required
def option_new(request, slug, section_pk):
    section = get_section_or_404(request.user, section_pk, MANAGE, slug=slug)
    form = OptionForm(request.POST or None, original=section.content_language)
    if request.method == "POST" and form.is_valid():
        try:
            option = services.option_create(section=section, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Option %(code)s was added.") % {"code": option.code})
            return _detail(section.consultation, f"section-{section.pk}")
    context = {"form": form, "consultation": section.consultation, "section": section, "option": None}
    return render(request, "consultations/staff/option_form.html", context)


@secretariat_required
def option_edit(request, slug, pk):
    option = get_option_or_404(request.user, pk, MANAGE, slug=slug)
    section = option.section
    saved = str(option)
    initial = {"code": option.code, "title": option.title, "description": option.description}
    initial |= OptionForm.translation_initial(option)
    form = OptionForm(request.POST or None, initial=initial, original=option.content_language)
    if request.method == "POST" and form.is_valid():
        try:
            services.option_update(option=option, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The option was saved."))
            return _detail(section.consultation, f"section-{section.pk}")
    context = {
        "form": form,
        "consultation": section.consultation,
        "section": section,
        "option": option,
        "saved": saved,
    }
    return render(request, "consultations/staff/option_form.html", context)


@secretariat_required
@require_POST
def option_delete(request, slug, pk):
    option = get_option_or_404(request.user, pk, MANAGE, slug=slug)
    try:
        services.option_delete(option=option, actor=request.user)
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _error_text(error)})
    else:
        messages.success(request, _("Option %(code)s was deleted.") % {"code": option.code})
    return _detail(option.section.consultation, f"section-{option.section_id}")


@secretariat_required
@require_POST
def option_move(request, slug, pk):
    option = get_option_or_404(request.user, pk, MANAGE, slug=slug)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.option_move(option=option, actor=request.user, direction=form.cleaned_data["direction"])
        messages.success(request, _("Option %(code)s was moved.") % {"code": option.code})
    else:
        messages.error(request, _("Nothing was changed: move up or down."))
    return _detail(option.section.consultation, f"section-{option.section_id}")


# ---------------------------------------------------------------- requests for more time


@secretariat_required
def extension_list(request, slug):
    """The consultation's requests for more time: pending first, then the decided ones.

    Queries, whatever the number of requests: the viewer's session, account, groups and MFA; the
    consultation; the paginator's count; one page of requests with member, organisation, sector,
    chamber and the deciding staff joined.
    """
    consultation = get_consultation_or_404(request.user, slug, MANAGE)
    page = Paginator(selectors_staff.extension_requests_for_staff(consultation), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "consultations/staff/extension_list.html", {"consultation": consultation, "page": page}
    )


@secretariat_required
def extension_decide(request, slug, pk):
    """Grant a personal deadline (typed in the consultation's zone) or decline with a reply."""
    consultation = get_consultation_or_404(request.user, slug, MANAGE)
    extension = get_extension_request_or_404(
        request.user, pk, consultation=consultation, queryset=selectors_staff.extension_request_queryset()
    )
    decision = request.POST.get("decision") if request.method == "POST" else None
    grant_form = ExtensionGrantForm(
        request.POST if decision == "grant" else None, prefix="grant", consultation=consultation
    )
    decline_form = ExtensionDeclineForm(request.POST if decision == "decline" else None, prefix="decline")
    if request.method == "POST":
        form = {"grant": grant_form, "decline": decline_form}.get(decision)
        if form is None:
            messages.error(request, _("Nothing was changed: choose to grant or to decline."))
        elif form.is_valid():
            try:
                if decision == "grant":
                    extension_services.extension_grant(
                        request=extension, actor=request.user, **form.cleaned_data
                    )
                else:
                    extension_services.extension_decline(
                        request=extension, actor=request.user, **form.cleaned_data
                    )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                done = (
                    _("More time was granted; %(name)s has been told by email.")
                    if decision == "grant"
                    else _("The request was declined; %(name)s has been told by email.")
                )
                messages.success(request, done % {"name": extension.member.full_name})
                return redirect("consultations:staff_extension_list", slug=consultation.slug)
    context = {
        "consultation": consultation,
        "extension": extension,
        "deadline": selectors.deadline_for(consultation, extension.member),
        "grant_form": grant_form,
        "decline_form": decline_form,
    }
    return render(request, "consultations/staff/extension_decide.html", context)
