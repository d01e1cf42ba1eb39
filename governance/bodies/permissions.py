"""Who may see or do what with bodies. The one module of the app that decides access.

Everyone may read an active body's public page; the secretariat (with a second factor, through
``secretariat_required``) creates and edits bodies and fills and vacates seats. The services ask
``network.permissions.require_secretariat`` again, whoever calls them.
"""

from django.shortcuts import get_object_or_404

from governance.bodies.models import Body, Seat, Term
from network import permissions as network_permissions

secretariat_required = network_permissions.secretariat_required


def can_manage_bodies(user) -> bool:
    return network_permissions.is_secretariat(user)


def get_seat_or_404(*, body: Body, pk: int) -> Seat:
    return get_object_or_404(Seat.objects.select_related("body", "sector", "holder"), body=body, pk=pk)


def get_term_or_404(*, body: Body, pk: int) -> Term:
    return get_object_or_404(
        Term.objects.select_related("seat__body", "member__organisation"), seat__body=body, pk=pk
    )
