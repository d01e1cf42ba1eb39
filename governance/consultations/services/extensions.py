"""The secretariat decides on requests for more time: a personal deadline, or a reply declining.

The respondent's side (asking) is ``services.responses.extension_request``. A granted deadline is
enforced on the server through ``selectors.audience.deadline_for``. Either way the respondent is
told by email, in their language, once the decision is committed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casm.history import save_with_history
from casm.links import absolute_url
from casm.timezones import check_year_in_range
from governance.consultations.models import ExtensionRequest
from governance.consultations.notices import notice_of
from governance.consultations.selectors import audience as selectors
from network.permissions import require_secretariat
from network.services.notify import notify_member

# What every staff service here answers someone who is not secretariat staff.
STAFF_ONLY = gettext_lazy("Only secretariat staff may decide on requests for more time.")

Status = ExtensionRequest.Status


def _pending(request: ExtensionRequest) -> ExtensionRequest:
    request = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("consultation", "member__user")
        .get(pk=request.pk)
    )
    if request.status != Status.PENDING:
        raise ValidationError(
            _("This request was already decided (%(status)s).") % {"status": request.get_status_display()}
        )
    return request


def _consultation_url(consultation) -> str:
    try:
        return absolute_url(consultation.get_absolute_url())
    except NoReverseMatch:  # the respondent's pages are not mounted (a partial URLconf)
        return absolute_url()


def _tell(request: ExtensionRequest, template: str) -> None:
    notify_member(
        request.member,
        template=f"consultations/email/{template}",
        context={
            "request": request,
            "consultation": request.consultation,
            "consultation_url": _consultation_url(request.consultation),
            "deadline": selectors.deadline_for(request.consultation, request.member),
        },
        **notice_of(request.consultation, "consultations.extension_answer"),
    )


@transaction.atomic
def extension_grant(
    *, request: ExtensionRequest, actor, until: datetime.datetime, reply: str = ""
) -> ExtensionRequest:
    """Grant a personal deadline ``until`` (aware, after the consultation's closing time)."""
    require_secretariat(actor, STAFF_ONLY)
    request = _pending(request)
    if until is None or timezone.is_naive(until):
        raise ValidationError({"until": _("Give the new deadline with its time zone.")})
    check_year_in_range(until, field="until")
    if until <= request.consultation.closes_at:
        raise ValidationError(
            {"until": _("The personal deadline must be later than the consultation's closing time.")}
        )
    request.status = Status.GRANTED
    request.granted_until = until
    request.reply = reply.strip()
    request.decided_by = actor
    request.decided_at = timezone.now()
    save_with_history(request, actor=actor, reason="Extension granted")
    _tell(request, "extension_granted")
    return request


@transaction.atomic
def extension_decline(*, request: ExtensionRequest, actor, reply: str) -> ExtensionRequest:
    """Decline a request; the reply, which the respondent receives, is required."""
    require_secretariat(actor, STAFF_ONLY)
    request = _pending(request)
    if not reply or not reply.strip():
        raise ValidationError({"reply": _("Tell the respondent why their request is declined.")})
    request.status = Status.DECLINED
    request.granted_until = None
    request.reply = reply.strip()
    request.decided_by = actor
    request.decided_at = timezone.now()
    save_with_history(request, actor=actor, reason="Extension declined")
    _tell(request, "extension_declined")
    return request
