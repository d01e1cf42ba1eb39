"""Languages named in the viewer's language."""

from django.conf import settings
from django.utils.translation import get_language_info, gettext


def language_name(code: str) -> str:
    """A language code as its name in the active language ("fr" → "French" / "français")."""
    known = dict(settings.LANGUAGES)
    if code in known:
        return gettext(str(known[code]))
    try:
        return gettext(get_language_info(code)["name"])
    except KeyError:
        return code
