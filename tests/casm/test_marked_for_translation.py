"""Text meant for users is marked for translation: in templates, and in the Python that speaks to users.

Templates: any text outside ``{% translate %}`` / ``{% blocktranslate %}`` and outside tags, and the
``alt``, ``title``, ``placeholder`` and ``aria-label`` attributes, must be marked. Code (``<code>``)
and scripts are not text for readers. Python: the messages of ``ValidationError`` and
``PermissionDenied``, flash messages and the labels and help texts of fields and models must be
translatable strings, never bare literals. The demo loader writes content (names of seats and
bodies), not interface, and is left out.
"""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[A-Za-z]{2,}")
SKIPPED_PARTS = {".venv", "tests", "bench", "node_modules", "migrations", "staticfiles", ".git"}
ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
VARIABLE = "\x00"  # stands for {{ … }}: whatever a variable holds is not the template's text


def _templates():
    for folder in ROOT.rglob("templates"):
        if SKIPPED_PARTS.isdisjoint(folder.relative_to(ROOT).parts):
            yield from (f for f in folder.rglob("*") if f.suffix in {".html", ".txt"} and f.is_file())


class _ReaderText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "code"}:
            self._hidden += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value and WORD.search(value.replace(VARIABLE, " ")):
                self.found.append(f"[{name}] {value}")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "code"}:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and WORD.search(data.replace(VARIABLE, " ")):
            self.found.append(data.strip())


def unmarked_template_text(source: str) -> list[str]:
    """The words of ``source`` a reader sees that no translation tag covers."""
    parts, inside = [], 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in {"blocktranslate", "blocktrans", "comment"}:
                inside += 1
            elif name in {"endblocktranslate", "endblocktrans", "endcomment"}:
                inside -= 1
        elif token.token_type == TokenType.VAR:
            parts.append(VARIABLE)
        elif token.token_type == TokenType.TEXT and not inside:
            parts.append(token.contents)
    reader = _ReaderText()
    reader.feed("".join(parts))
    return reader.found


def test_the_scanner_finds_unmarked_text_and_spares_marked_text():
    source = (
        '{% load i18n %}<h1>{% translate "Members" %}</h1><p>Hello {{ name }}</p>'
        '<img alt="A miner"><details {% if x %}open{% endif %}><code>full_name</code>'
        "{% blocktranslate %}Dear {{ name }}{% endblocktranslate %}"
    )

    assert unmarked_template_text(source) == [f"Hello {VARIABLE}", "[alt] A miner"]


@pytest.mark.parametrize("template", sorted(_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_text_is_marked_for_translation(template):
    assert unmarked_template_text(template.read_text()) == []


KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
FLASH = {"success", "error", "info", "warning"}


def _python_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if SKIPPED_PARTS.isdisjoint(parts) and path.name != "demo.py":
            yield path


def _bare_user_strings(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        candidates = [keyword.value for keyword in node.keywords if keyword.arg in KEYWORDS]
        if name in {"ValidationError", "PermissionDenied"} and node.args:
            candidates.append(node.args[0])
        is_flash = isinstance(function, ast.Attribute) and getattr(function.value, "id", "") == "messages"
        if is_flash and name in FLASH and len(node.args) >= 2:
            candidates.append(node.args[1])
        for value in candidates:
            literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
            bare = literal and WORD.search(value.value)
            if bare or isinstance(value, ast.JoinedStr):
                lines.append(value.lineno)
    return lines


def test_user_facing_python_strings_are_marked_for_translation():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _python_files()
        for line in _bare_user_strings(ast.parse(path.read_text()))
    ]

    assert found == []
