"""The changes between two versions of a text, as HTML with <ins> and <del> (Python's difflib).

Lines are compared first; where a run of lines was replaced, its words are compared, so a
changed word in a long paragraph shows as that word, not as the whole paragraph twice. Every
piece of text is escaped: what staff typed (Markdown, even HTML) is shown as typed, never run.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffStats:
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def _lines(text: str) -> list[str]:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _ins(text: str) -> str:
    return format_html('<ins><span class="visually-hidden">{} </span>{}</ins>', _("[added]"), text)


def _del(text: str) -> str:
    return format_html('<del><span class="visually-hidden">{} </span>{}</del>', _("[removed]"), text)


def _words(old: str, new: str, counts: list[int]) -> str:
    """One paragraph (or run of lines) compared word by word."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(_del("".join(a[i1:i2])))
            counts[1] += sum(1 for token in a[i1:i2] if not token.isspace())
        if j2 > j1:
            parts.append(_ins("".join(b[j1:j2])))
            counts[0] += sum(1 for token in b[j1:j2] if not token.isspace())
    return "".join(parts)


def diff_html(old: str, new: str) -> tuple[SafeString, DiffStats]:
    """``old`` → ``new`` as escaped HTML, one <p> per line of the text, and how many words changed."""
    a, b = _lines(old), _lines(new)
    counts = [0, 0]  # words added, removed
    rows = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(escape(line) for line in a[i1:i2])
        elif tag == "delete":
            for line in a[i1:i2]:
                rows.append(_del(line) if line else "")
                counts[1] += len(line.split())
        elif tag == "insert":
            for line in b[j1:j2]:
                rows.append(_ins(line) if line else "")
                counts[0] += len(line.split())
        else:
            rows.append(_words("\n".join(a[i1:i2]), "\n".join(b[j1:j2]), counts).replace("\n", "<br>"))
    html = "".join(format_html("<p>{}</p>", mark_safe(row)) for row in rows if row)  # noqa: S308 - escaped above
    return mark_safe(html), DiffStats(added=counts[0], removed=counts[1])  # noqa: S308 - escaped above
