"""Public pages of consultations: the bodies and who sits on them."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from governance.bodies import selectors


@require_GET
def body_list(request):
    return render(request, "bodies/body_list.html", {"bodies": selectors.body_list_public()})


@require_GET
def body_detail(request, slug):
    return render(request, "bodies/body_detail.html", {"body": selectors.body_get_public(slug=slug)})
