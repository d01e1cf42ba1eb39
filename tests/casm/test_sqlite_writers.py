"""`make demo` runs on SQLite: a few people writing at once never see a server error."""

import json
import subprocess
import sys

from django.conf import settings


def test_twenty_simultaneous_submissions_on_sqlite_get_answers_not_server_errors(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tests.casm.sqlite_writers", str(tmp_path / "demo.sqlite3")],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(status < 500 for status in outcome["respond"]), outcome
    assert all(status < 500 for status in outcome["extension"]), outcome
    assert outcome["responses"] == 1
    assert outcome["extension_requests"] >= 1
