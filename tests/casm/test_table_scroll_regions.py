"""Every sideways-scrolling table wrapper can be reached and scrolled from the keyboard, and is named."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRAPPER = re.compile(r"<div\b[^>]*\bclass=\"table-scroll\"[^>]*>")


def _wrappers():
    for folder in ("templates", "governance", "network", "programs"):
        for path in sorted((ROOT / folder).rglob("*.html")):
            for match in WRAPPER.finditer(path.read_text()):
                yield path.relative_to(ROOT), match.group(0)


def test_every_table_scroll_is_a_focusable_named_region():
    wrappers = list(_wrappers())

    assert len(wrappers) > 20
    for path, tag in wrappers:
        assert 'tabindex="0"' in tag, path
        assert 'role="region"' in tag, path
        label = re.search(r'aria-label="([^"]+)"', tag)
        # Translated in place, or handed in already translated by the including template.
        assert label and ("translate" in label.group(1) or label.group(1) == "{{ caption }}"), path
