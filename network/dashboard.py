"""Panels of the member's own page (``/me/``) that apps above the network contribute.

The network must not import the apps built on it, so they register here instead (in their
``AppConfig.ready``): a panel is a callable taking the member and returning ``(template name,
context)``, or None when it has nothing to show. ``me.html`` includes each with its context as
``panel``.
"""

from collections.abc import Callable

Panel = Callable[[object], tuple[str, dict] | None]

_panels: list[Panel] = []


def register_panel(panel: Panel) -> None:
    """Add ``panel`` to the member's page (once, whatever the number of calls)."""
    if panel not in _panels:
        _panels.append(panel)


def panels_for(member) -> list[tuple[str, dict]]:
    """The panels to show ``member``, in the order they were registered."""
    return [shown for shown in (panel(member) for panel in _panels) if shown is not None]
