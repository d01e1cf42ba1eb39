"""The slates' panel on the member's own page (network's ``/me/``), registered in ``apps.ready``."""

from governance.slates.selectors import nominations_open_for


def nominations_panel(member):
    """Nominations on slates being composed (one query); nothing when there are none."""
    nominations = list(nominations_open_for(member))
    if not nominations:
        return None
    return "slates/_nominations_panel.html", {"nominations": nominations}
