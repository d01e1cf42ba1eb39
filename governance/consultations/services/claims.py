"""Claims before sending: a row under a unique constraint, inserted and committed before a mail leaves.

Reminders and publication notices use it so that a person gets each mail at most once, also when
a batch is delivered twice or a worker dies (see ``services.reminders``).
"""

from django.db import IntegrityError, models, transaction


def claim_once(model: type[models.Model], **fields):
    """Insert the claim in its own transaction; None when someone already claimed it (the constraint)."""
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        return None
