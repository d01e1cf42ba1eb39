"""Panels of the member's own page (``/me/``) that apps above the network contribute.

The network must not import the apps built on it, so they register here instead (in their
``AppConfig.ready``): a panel is a callable taking the member and returning ``(template name,
context)``, or None when it has nothing to show. ``me.html`` includes each with its context as
``panel``. The secretariat's landing page has panels of its own (``register_staff_panel``).
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


# ---------------------------------------------------------------- the secretariat's landing page

StaffPanel = Callable[[], tuple[str, dict] | None]

_staff_panels: list[StaffPanel] = []


def register_staff_panel(panel: StaffPanel) -> None:
    """Add ``panel`` to the secretariat's landing page (once). A panel takes no argument and
    returns ``(template name, context)`` or None; ``staff/home.html`` includes each as ``panel``."""
    if panel not in _staff_panels:
        _staff_panels.append(panel)


def staff_panels() -> list[tuple[str, dict]]:
    """The panels of the secretariat's landing page, in the order they were registered."""
    return [shown for shown in (panel() for panel in _staff_panels) if shown is not None]
