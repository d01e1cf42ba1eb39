"""The secretariat's mail page: every notice the portal sent, with what waits, left and failed.

Views validate, call one service and redirect; the rules live in ``casm.outbox`` and
``network.services.mail``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from casm.outbox import selectors as outbox
from network.forms.mail import RetryForm
from network.models import Member
from network.permissions import secretariat_required
from network.services import mail as mail_services


@secretariat_required
def mail_list(request):
    """Notices, newest first, each with its counts of pending, sent and failed messages.

    Queries, whatever the number of notices or messages: the paginator's count and one page of
    notices with their counts aggregated by the database.
    """
    page = Paginator(outbox.notice_list_with_counts(), settings.MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "network/staff/mail_list.html", {"page": page})


def _notice_or_404(pk):
    notice = outbox.notice_get_with_counts(pk)
    if notice is None:
        raise Http404
    return notice


@secretariat_required
def mail_notice(request, pk):
    """One notice: its counts, the failed addresses with the reasons, and mail waiting for a retry."""
    notice = _notice_or_404(pk)
    failed = Paginator(outbox.notice_failed_messages(notice), settings.MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    deferred = list(outbox.notice_deferred_messages(notice)[:50])
    return render(
        request,
        "network/staff/mail_notice.html",
        {
            "notice": notice,
            "failed": failed,
            "deferred": deferred,
            "member_type_id": ContentType.objects.get_for_model(Member).pk,
        },
    )


@secretariat_required
@require_POST
def mail_retry(request, pk):
    """Send a notice's failed mail again: every failed message, or the ones ticked."""
    notice = _notice_or_404(pk)
    form = RetryForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Nothing was changed: %(errors)s") % {"errors": " ".join(form.error_texts())}
        )
        return redirect("network:staff_mail_notice", pk=notice.pk)
    try:
        count = mail_services.mail_retry(
            notice=notice, actor=request.user, message_ids=form.cleaned_data["message_ids"]
        )
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": " ".join(error.messages)})
        return redirect("network:staff_mail_notice", pk=notice.pk)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s message is back in the outbox and will be sent again.",
                "%(count)s messages are back in the outbox and will be sent again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No failed message was chosen: nothing was sent again."))
    return redirect("network:staff_mail_notice", pk=notice.pk)
