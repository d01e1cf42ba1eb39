"""The bodies' panels: the secretariat's landing page (``staff_home``) and the member's own page
(network's ``/me/``), registered in ``apps.ready``."""

from governance.bodies.selectors import VACANCY_HORIZON_DAYS, survey_invitations_open_for, terms_ending_soon


def seats_falling_vacant_panel():
    """Seats falling vacant in the next 90 days across bodies (one query)."""
    return (
        "bodies/staff/_vacancies_panel.html",
        {"terms": list(terms_ending_soon()), "horizon_days": VACANCY_HORIZON_DAYS},
    )


def surveys_panel(member):
    """Open surveys of continued service the member is asked in (one query); nothing when there are none."""
    invitations = list(survey_invitations_open_for(member))
    if not invitations:
        return None
    return "bodies/survey/_panel.html", {"invitations": invitations}
