"""The consultations panel of the member's own page (network's ``/me/``), registered in ``apps.ready``."""

from governance.consultations.selectors.responses import open_consultations_for


def open_consultations_panel(member):
    """Open consultations addressed to ``member`` and how far their response is (one query)."""
    return (
        "consultations/member/_open_consultations.html",
        {"consultations": open_consultations_for(member)},
    )
