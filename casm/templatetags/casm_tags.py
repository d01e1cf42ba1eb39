import re

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django_countries.fields import Country

from casm.content import Localized
from casm.formats import format_date, format_datetime
from casm.languages import language_name
from casm.links import absolute_reverse
from casm.markdown import render_markdown

register = template.Library()


@register.simple_tag
def absolute_url(viewname, *args):
    """{% absolute_url 'network:me' %}: the page's full address, for mail (``casm.links``)."""
    return absolute_reverse(viewname, *args)


@register.filter(name="markdown")
def markdown_filter(text):
    """{{ section.body|markdown }}: staff Markdown, sanitised."""
    return render_markdown(text)


_BLANK_LINES = re.compile(r"\n\s*\n")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")


@register.filter
def paragraphs(text):
    """{{ pledge.text|paragraphs }}: plain text as paragraphs, its soft-wrapped lines joined.

    A blank line starts a paragraph; a line break inside one is only where the author's editor
    wrapped, so the browser wraps instead. Lines that start a list item ("- ", "1. ") keep theirs.
    The text is escaped: this is for plain text, not Markdown.
    """
    blocks = []
    for block in _BLANK_LINES.split(str(text or "").replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        joined = [lines[0]]
        for line in lines[1:]:
            if _LIST_ITEM.match(line):
                joined.append(line)
            else:
                joined[-1] = f"{joined[-1]} {line}"
        blocks.append("<br>".join(escape(line) for line in joined))
    return format_html_join("", "<p>{}</p>", ((mark_safe(block),) for block in blocks))


@register.filter
def date_only(value, style="long"):
    """{{ membership.term_end|date_only }} "1 December 2026"; {{ x|date_only:"short" }} "1 Dec 2026"."""
    return format_date(value, style)


@register.filter
def date_time(value, style="long"):
    """{{ row.date|date_time:"short" }}: a date and time in the viewer's zone, naming the zone."""
    return format_datetime(value, style)


@register.simple_tag
def datetime(value, style="long", zone=None):
    """{% datetime consultation.closes_at "long" consultation.time_zone %}: in ``zone`` if given."""
    return format_datetime(value, style, zone)


@register.filter
def country_names(codes):
    """["CH", "NL"] → "Switzerland, Netherlands", in the viewer's language."""
    return ", ".join(str(Country(code=code).name or code) for code in codes or [])


@register.filter
def language_names(codes):
    """["en", "fr"] → "English, French", in the viewer's language."""
    return ", ".join(language_name(code) for code in codes or [])


@register.filter
def country_name(code):
    """A country code (or django-countries Country) as its name in the viewer's language."""
    code = getattr(code, "code", code)
    return str(Country(code=code).name or code) if code else ""


@register.filter
def localized(obj, field):
    """{{ option|localized:"title" }}: the text in the active language, or the original
    (``casm.content.TranslatableContent.localized``); ``{% with t=obj|localized:"title" %}``
    gives ``t.translated`` and ``t.language`` too."""
    if obj is None or obj == "":
        return ""
    return obj.localized(field)


def _in_sentence(name: str) -> str:
    """A language's name inside a sentence: French, Spanish and Portuguese write it in lower case
    ("en anglais"), English capitalised."""
    if (get_language() or "en").startswith("en"):
        return name
    return name[:1].lower() + name[1:]


@register.filter
def untranslated_note(value):
    """{{ t|untranslated_note }}: "(not translated into French: shown in English)", or nothing."""
    if not isinstance(value, Localized) or value.translated:
        return ""
    note = gettext("(not translated into %(wanted)s: shown in %(original)s)") % {
        "wanted": _in_sentence(language_name(value.wanted)),
        "original": _in_sentence(language_name(value.language)),
    }
    return format_html('<span class="untranslated-note">{}</span>', note)


@register.simple_tag
def localized_text(obj, field, markdown=False):
    """{% localized_text option "title" %}: the text for the reader, and when it is the original
    in another language, marked with its ``lang`` (for screen readers) and followed by the note.
    ``markdown=True`` renders it as staff Markdown, in a block."""
    value = obj.localized(field)
    if markdown:
        body = render_markdown(value.text)
        if value.translated:
            return body
        return format_html('<div lang="{}">{}</div><p>{}</p>', value.language, body, untranslated_note(value))
    if value.translated:
        return value.text
    return format_html('<span lang="{}">{}</span> {}', value.language, value.text, untranslated_note(value))
