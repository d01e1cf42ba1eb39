"""Staff create and edit bodies: name, kind, parent, description (with translations), composition rules.

Only the secretariat does. Every change is saved with its author and reason (django-simple-history).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casm.content import content_apply
from casm.history import save_with_history
from governance.bodies.models import Body
from network.permissions import require_secretariat

STAFF_ONLY = gettext_lazy("Only secretariat staff may change bodies, seats and terms.")
RESERVED_SLUGS = {"new"}  # staff/bodies/new/ is the form that makes one
UNCHANGED = object()  # body_update: the parent stays as it is unless one (or None) is given

# The composition rules staff may set (Body fields; None means no such rule) and the other fields.
RULE_FIELDS = (
    "min_size",
    "max_size",
    "min_per_sector",
    "max_per_sector",
    "min_per_chamber",
    "max_per_chamber",
    "max_per_organisation",
    "max_per_country",
    "term_months",
    "has_chair",
    "has_vice_chair",
)
EDITABLE_FIELDS = ("name", "short_name", "kind", "description", "is_active", "order", *RULE_FIELDS)


def _unique_slug(name: str, wanted: str = "", *, exclude: int | None = None) -> str:
    base = slugify(wanted or name)[:70] or "body"
    slug, n = base, 2
    taken = Body.objects.exclude(pk=exclude) if exclude else Body.objects.all()
    while slug in RESERVED_SLUGS or taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_parent(body: Body, parent: Body | None) -> None:
    """A body reports to another body, never to itself or to one of the bodies under it."""
    ancestor = parent
    while ancestor is not None:
        if body.pk is not None and ancestor.pk == body.pk:
            raise ValidationError({"parent": _("A body cannot report to itself or to a body under it.")})
        ancestor = ancestor.parent


def _check_rules(body: Body) -> None:
    errors = {}
    for low, high in (
        ("min_size", "max_size"),
        ("min_per_sector", "max_per_sector"),
        ("min_per_chamber", "max_per_chamber"),
    ):
        minimum, maximum = getattr(body, low), getattr(body, high)
        if minimum is not None and maximum is not None and minimum > maximum:
            errors[high] = _("The maximum cannot be smaller than the minimum.")
    if body.max_size is not None and body.max_size == 0:
        errors["max_size"] = _("A body has room for at least one member.")
    if errors:
        raise ValidationError(errors)


def _apply(body: Body, *, parent, translations, content_language, fields: dict) -> None:
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"{name} is not a field staff may set on a body")
        setattr(body, name, value.strip() if isinstance(value, str) else value)
    content_apply(body, translations, content_language)
    if parent is not UNCHANGED:
        _check_parent(body, parent)
        body.parent = parent
    _check_rules(body)


@transaction.atomic
def body_create(
    *,
    actor,
    name: str,
    kind: str,
    slug: str = "",
    parent: Body | None = None,
    translations: dict | None = None,
    content_language: str | None = None,
    **fields,
) -> Body:
    """A new body with its rules. ``fields`` are among ``EDITABLE_FIELDS`` (description, rules…).

    Rules: a minimum is never above its maximum; the parent is another body (no cycles);
    the language and translations are set by ``casm.content.content_apply``.
    """
    require_secretariat(actor, STAFF_ONLY)
    body = Body(slug=_unique_slug(name, slug))
    _apply(
        body,
        parent=parent,
        translations=translations,
        content_language=content_language,
        fields={"name": name, "kind": kind, **fields},
    )
    return save_with_history(body, actor=actor, reason="Body created")


@transaction.atomic
def body_update(
    *,
    body: Body,
    actor,
    parent=UNCHANGED,
    translations: dict | None = None,
    content_language: str | None = None,
    slug: str = "",
    **fields,
) -> Body:
    """Change a body's name, kind, parent, description, translations or rules (same rules as
    ``body_create``). What is not given stays: the slug (its address), the parent (None: no parent),
    the translations."""
    require_secretariat(actor, STAFF_ONLY)
    body = Body.objects.select_for_update().get(pk=body.pk)
    if slug and slug != body.slug:
        body.slug = _unique_slug(body.name, slug, exclude=body.pk)
    _apply(body, parent=parent, translations=translations, content_language=content_language, fields=fields)
    return save_with_history(body, actor=actor, reason="Body and rules changed")
