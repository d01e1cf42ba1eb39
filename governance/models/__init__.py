"""Governance records: chambers and bodies (structure), consultations."""

from governance.models.consultations import (
    Consultation,
    ConsultationOption,
    ConsultationSection,
    ExtensionRequest,
    OptionPreference,
    ProposedOption,
    ReminderOptOut,
    ReminderSent,
    Response,
    SectionAnswer,
    UnclearFlag,
)
from governance.models.structure import Body, Chamber, Seat, Sector, SubChamber

__all__ = [
    "Body",
    "Chamber",
    "Consultation",
    "ConsultationOption",
    "ConsultationSection",
    "ExtensionRequest",
    "OptionPreference",
    "ProposedOption",
    "ReminderOptOut",
    "ReminderSent",
    "Response",
    "SectionAnswer",
    "Seat",
    "Sector",
    "SubChamber",
    "UnclearFlag",
]
