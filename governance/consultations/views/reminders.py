"""Reminder pages: the one-click stop link from the mail, and the secretariat's log of reminders.

The stop link carries a signed token (consultation and member), which is the only authority:
no login. Mail scanners follow links, so opening the link (GET) only asks; the button (POST)
stops the reminders. Mail clients' own "unsubscribe" button (RFC 8058) POSTs to the same
address without a CSRF token, so the view is exempt: it acts on nothing a cookie grants.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from governance.consultations.models import Consultation
from governance.consultations.permissions import secretariat_required
from governance.consultations.selectors import reminders as selectors
from governance.consultations.services import reminders as services


def _invalid_link(request, error: ValidationError):
    expired = any(getattr(item, "code", None) == "expired" for item in error.error_list)
    return render(
        request,
        "consultations/reminders/stop_invalid.html",
        {"error": " ".join(error.messages), "expired": expired},
        status=410 if expired else 404,
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_stop(request, token):
    """GET: say what the button will do (or that it is done); POST: stop the reminders.

    A forged or altered link answers 404 with a page that says so, like a forged invitation.
    """
    try:
        consultation, member = services.reminder_token_read(token)
    except ValidationError as error:
        return _invalid_link(request, error)
    if request.method == "POST":
        try:
            services.reminder_opt_out(token=token)
        except ValidationError as error:
            return _invalid_link(request, error)
        messages.success(
            request,
            _("You will get no more reminders for “%(title)s”.") % {"title": consultation.title},
        )
        return redirect("consultations:reminder_stop", token=token)
    return render(
        request,
        "consultations/reminders/stop.html",
        {
            "consultation": consultation,
            "stopped": services.reminder_is_stopped(consultation=consultation, member=member),
        },
    )


@secretariat_required
def staff_consultation_reminders(request, slug):
    """Who was reminded at which offset and when, who stopped reminders, and what is due now.

    Queries, whatever the number of rows: the consultation; the totals; the due list (personal
    deadlines, the audience minus submitted and opted out, the claims); the count and one page
    of the log, and of the opt-outs, each with its member joined.
    """
    consultation = get_object_or_404(Consultation, slug=slug)
    size = settings.MEMBERS_PAGE_SIZE
    log = Paginator(selectors.reminder_log_for(consultation), size).get_page(request.GET.get("page"))
    opt_outs = Paginator(selectors.reminder_opt_outs_for(consultation), size).get_page(
        request.GET.get("optouts")
    )
    return render(
        request,
        "consultations/reminders/staff_reminders.html",
        {
            "consultation": consultation,
            "log": log,
            "opt_outs": opt_outs,
            "totals": selectors.reminder_totals(consultation),
            "schedule": selectors.reminder_schedule(consultation),
        },
    )
