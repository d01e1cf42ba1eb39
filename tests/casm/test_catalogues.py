"""The French, Spanish and Portuguese catalogues are complete and up to date: CI fails otherwise.

Every message is translated and none is fuzzy (Django ignores a fuzzy one: the reader would get
English), and ``makemessages`` run over the code finds no message the catalogues lack: a string
marked for translation in a change ships in the four languages in that change.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from casm.testing import need

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["fr", "es", "pt"]
IGNORED = [".venv/*", "bench/*", "tests/*"]  # as `make messages`


def _catalogue(root: Path, language: str) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


def _keys(catalogue: polib.POFile) -> set[tuple[str, str]]:
    return {(entry.msgctxt or "", entry.msgid) for entry in catalogue if not entry.obsolete}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalogue = _catalogue(ROOT, language)

    missing = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]

    assert not missing, f"{len(missing)} {language} messages untranslated or fuzzy, e.g. {missing[:5]}"


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """The catalogues as ``makemessages`` makes them from the code now, in a copy of the project."""
    need(shutil.which("xgettext") is not None, "GNU gettext is not installed (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("project") / "casm"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "node_modules", "media", "staticfiles", "*.sqlite3*"),
    )
    command = [sys.executable, "manage.py", "makemessages", *[f"-l{code}" for code in LANGUAGES]]
    for pattern in IGNORED:
        command += ["--ignore", pattern]
    subprocess.run(command, cwd=copy, check=True, capture_output=True)
    return copy


@pytest.mark.parametrize("language", LANGUAGES)
def test_makemessages_finds_no_message_the_catalogue_lacks(fresh_catalogues, language):
    new = _keys(_catalogue(fresh_catalogues, language)) - _keys(_catalogue(ROOT, language))

    assert not new, f"run `make messages` and translate: {sorted(new)[:10]}"
