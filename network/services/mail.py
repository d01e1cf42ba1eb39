"""Staff actions on the outbox: sending failed mail again after a correction."""

from django.utils.translation import gettext_lazy

from casm.outbox.models import Notice
from casm.outbox.services.retry import messages_retry
from network.permissions import require_secretariat

STAFF_ONLY = gettext_lazy("Only secretariat staff may send failed mail again.")


def mail_retry(*, notice: Notice, actor, message_ids: list[int] | None = None) -> int:
    """Secretariat staff put a notice's failed mail back in the outbox (all, or the chosen messages).

    Each message goes to its recipient's current address: correct the member's address first,
    then retry. Returns how many messages will be sent again.
    """
    require_secretariat(actor, STAFF_ONLY)
    return messages_retry(notice=notice, actor=actor, message_ids=message_ids)
