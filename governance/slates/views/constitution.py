"""The secretariat's pages of constitution: seat an endorsed slate, choose the body's chair, appoint
task groups and put their conclusions to the network as a consultation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from governance.bodies.models import Body
from governance.slates import selectors
from governance.slates.forms.slates import ChairForm, ConstituteForm, TaskGroupConsultForm, TaskGroupForm
from governance.slates.models import ChairChoice, Slate, TaskGroup
from governance.slates.permissions import secretariat_required
from governance.slates.services import constitution as services
from governance.slates.views.slates import add_errors


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def slate_constitute(request, pk):
    slate = get_object_or_404(Slate.objects.select_related("body"), pk=pk)
    form = ConstituteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.slate_constitute(actor=request.user, slate=slate, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The slate's nominees now hold the body's seats."))
            return redirect("slates:body_constitution", slug=slate.body.slug)
    return render(request, "slates/constitute.html", {"slate": slate, "form": form})


@secretariat_required
@require_GET
def body_constitution(request, slug):
    """A body's current members, how its chair was chosen, its task groups and their consultations."""
    body = get_object_or_404(Body, slug=slug)
    return render(
        request,
        "slates/body_constitution.html",
        {
            "body": body,
            "terms": services.current_terms(body),
            "chair_choices": list(
                ChairChoice.objects.filter(body=body).select_related("member", "recorded_by")
            ),
            "task_groups": list(selectors.task_group_list_for(body)),
            "slates": list(Slate.objects.filter(body=body).order_by("-created_at")),
        },
    )


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def chair_choose(request, slug):
    body = get_object_or_404(Body, slug=slug)
    form = ChairForm(request.POST or None, terms=services.current_terms(body))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            choice = services.chair_choose(
                actor=request.user, body=body, member=data["member"], votes=data["votes"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is the chair.") % {"name": choice.member.full_name})
            return redirect("slates:body_constitution", slug=body.slug)
    return render(request, "slates/chair_form.html", {"body": body, "form": form})


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_group_new(request, slug):
    committee = get_object_or_404(Body, slug=slug)
    form = TaskGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.task_group_create(actor=request.user, committee=committee, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The task group is appointed."))
            return redirect("slates:task_group_detail", pk=group.pk)
    return render(request, "slates/task_group_form.html", {"committee": committee, "form": form})


def _task_group(pk) -> TaskGroup:
    return get_object_or_404(TaskGroup.objects.select_related("body__parent", "consultation"), pk=pk)


@secretariat_required
@require_GET
def task_group_detail(request, pk):
    group = _task_group(pk)
    return render(
        request,
        "slates/task_group_detail.html",
        {"group": group, "terms": services.current_terms(group.body)},
    )


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_group_consult(request, pk):
    """Put the task group's conclusions to the network: a consultation, prefilled from the group."""
    group = _task_group(pk)
    initial = {
        "title": _("Conclusions of the %(group)s") % {"group": group.body.name},
        "introduction": group.body.description,
    }
    form = TaskGroupConsultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.task_group_consult(
                actor=request.user, task_group=group, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The consultation is created: add its sections, then publish it."))
            return redirect("consultations:staff_consultation_detail", slug=consultation.slug)
    return render(request, "slates/task_group_consult.html", {"group": group, "form": form})
