"""The roles of DESIGN.md that are Django groups. Rights on single objects use django-guardian.

The groups and their model rights are (re)made after every migrate and every test-database
flush (``post_migrate``), so they exist wherever the schema does.
"""

SECRETARIAT = "secretariat"
COMMITTEE = "committee"
OBSERVER = "observer"

ALL_GROUPS = [SECRETARIAT, COMMITTEE, OBSERVER]

# Apps whose model rights the secretariat holds.
SECRETARIAT_APPS = {"network", "bodies", "consultations"}
# Rights of those apps the secretariat never holds: the record of who changed an account's rights is
# written by its service alone (the flags themselves are the UserAdmin's, for superusers only).
SECRETARIAT_WITHHELD = {
    ("network", "add_accountrolechange"),
    ("network", "change_accountrolechange"),
    ("network", "delete_accountrolechange"),
}
# Rights the committee holds, until governing bodies grant them through their membership.
COMMITTEE_PERMISSIONS = {("consultations", "view_consultation_analysis")}


def ensure_groups(sender, using="default", **kwargs) -> None:
    """post_migrate handler: the role groups exist and hold their rights (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    groups = {name: Group.objects.using(using).get_or_create(name=name)[0] for name in ALL_GROUPS}
    label = getattr(sender, "label", None)
    if label in SECRETARIAT_APPS:
        withheld = [codename for app, codename in SECRETARIAT_WITHHELD if app == label]
        rights = Permission.objects.using(using).filter(content_type__app_label=label)
        groups[SECRETARIAT].permissions.add(*rights.exclude(codename__in=withheld))
        # Taken back from groups made before they were withheld.
        groups[SECRETARIAT].permissions.remove(*rights.filter(codename__in=withheld))
    committee = [codename for app, codename in COMMITTEE_PERMISSIONS if app == label]
    if committee:
        groups[COMMITTEE].permissions.add(
            *Permission.objects.using(using).filter(content_type__app_label=label, codename__in=committee)
        )
