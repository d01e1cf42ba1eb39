"""The endorsement panel of the member's own page (network's ``/me/``), registered in ``apps.ready``."""

from governance.slates.selectors import open_windows_for


def endorsement_windows_panel(member):
    """Open endorsement windows the member is invited to, and whether they answered (one query)."""
    invitations = open_windows_for(member)
    if not invitations:
        return None
    return ("slates/endorsement/_panel.html", {"invitations": invitations})
