"""The bodies' panel of the member's own page (network's ``/me/``), registered in ``apps.ready``."""

from governance.bodies.selectors import survey_invitations_open_for


def surveys_panel(member):
    """Open surveys of continued service the member is asked in (one query); nothing when there are none."""
    invitations = list(survey_invitations_open_for(member))
    if not invitations:
        return None
    return "bodies/survey/_panel.html", {"invitations": invitations}
