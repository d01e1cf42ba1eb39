"""The bodies' panel of the secretariat's landing page (``staff_home``), registered in ``apps.ready``."""

from governance.bodies.selectors import VACANCY_HORIZON_DAYS, terms_ending_soon


def seats_falling_vacant_panel():
    """Seats falling vacant in the next 90 days across bodies (one query)."""
    return (
        "bodies/staff/_vacancies_panel.html",
        {"terms": list(terms_ending_soon()), "horizon_days": VACANCY_HORIZON_DAYS},
    )
