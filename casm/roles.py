"""The roles of DESIGN.md that are Django groups. Rights on single objects use django-guardian."""

SECRETARIAT = "secretariat"
COMMITTEE = "committee"
OBSERVER = "observer"

ALL_GROUPS = [SECRETARIAT, COMMITTEE, OBSERVER]
