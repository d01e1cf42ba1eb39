"""Who may see or do what with ground rules, decisions and the mission. The one module of the app
that decides access.

Everyone reads the published versions and the public decisions. Active members of the network
(``network.permissions.is_active_member``) also read the members-only decisions; applicants,
lapsed members and visitors do not. The secretariat publishes versions and records and edits
decisions, on pages behind ``secretariat_required`` (staff with a second factor).
"""

from django.shortcuts import get_object_or_404

from governance.bodies.models import Body
from network import permissions as network_permissions


def can_manage_charter(user) -> bool:
    """The secretariat publishes ground rules and the mission and keeps the decisions logs."""
    return network_permissions.is_secretariat(user)


def can_view_members_only_decisions(user) -> bool:
    return network_permissions.is_active_member(user) or network_permissions.is_secretariat(user)


def get_body_or_404(slug: str) -> Body:
    """An active body: the public pages of an inactive or unknown one do not exist (one query)."""
    return get_object_or_404(Body.objects.filter(is_active=True), slug=slug)


secretariat_required = network_permissions.secretariat_required
require_secretariat = network_permissions.require_secretariat
