"""What the network's mail is called on the staff mail page (``casm.outbox.kinds``)."""

from django.utils.translation import gettext as _

from casm.outbox.kinds import register_kind


def register() -> None:
    register_kind(
        "accounts", lambda p: _("Account mail: address confirmations, password resets, sign-up attempts")
    )
    register_kind("network.invitation", lambda p: _("Invitations to join the network"))
    register_kind("network.membership", lambda p: _("Membership decisions and questions to applicants"))
    register_kind("network.organisation_request", lambda p: _("Answers to organisation change requests"))
