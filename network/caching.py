"""A generation number for member listings: any change to members moves it on.

The staff directory caches its rendered listing under the current generation, so a change is
seen at once and an unchanged listing is served without querying or rendering it again.
Row saves and deletes move the generation through model signals (wired in apps.py); bulk
writes, which send no signals, call ``members_changed`` themselves, after their commit.
"""

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "network:members-generation"


def members_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted: start a new series that cannot meet the old one
        import time

        cache.set(GENERATION_KEY, int(time.time() * 1000), None)


def members_changed(**kwargs) -> None:
    """Move the generation on now and again once the current transaction commits.

    The first move is seen at once (a rolled-back change only costs one uncached rendering); the
    second replaces whatever another request cached from the not-yet-committed state meanwhile.
    """
    _bump()
    transaction.on_commit(_bump)


# Models whose rows appear in member listings (directly or through their joins).
LISTING_MODELS = [
    ("network", "Member"),
    ("network", "Membership"),
    ("network", "Organisation"),
    ("network", "Pledge"),
    ("network", "PledgeAffirmation"),
    ("network", "Chamber"),
    ("network", "SubChamber"),
    ("network", "Sector"),
]


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for app_label, model_name in LISTING_MODELS:
        model = apps.get_model(app_label, model_name)
        uid = f"network.caching:{app_label}.{model_name}"
        post_save.connect(members_changed, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(members_changed, sender=model, dispatch_uid=uid + ":delete")
