"""Public pages of governance: the bodies and who sits on them."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from governance import selectors


@require_GET
def body_list(request):
    return render(request, "governance/body_list.html", {"bodies": selectors.body_list_public()})


@require_GET
def body_detail(request, slug):
    return render(request, "governance/body_detail.html", {"body": selectors.body_get_public(slug=slug)})
