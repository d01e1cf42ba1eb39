from governance.charter.diff import diff_html


def test_a_changed_word_shows_as_that_word_deleted_and_inserted():
    html, stats = diff_html("CASM aims to reduce poverty.", "CASM aims to end poverty.")

    assert "<del>" in html and "reduce</del>" in html
    assert "<ins>" in html and "end</ins>" in html
    assert "CASM aims to " in html
    assert (stats.added, stats.removed) == (1, 1)


def test_added_and_removed_lines_are_marked_whole():
    html, stats = diff_html("First.\n\nSecond.", "First.\n\nSecond.\n\nThird line here.")

    assert "Third line here.</ins>" in html
    assert "<del>" not in html
    assert stats.added == 3 and stats.removed == 0


def test_diff_escapes_html_typed_in_either_version():
    html, _stats = diff_html(
        "Safe text <b>bold</b>",
        'Safe text <script>alert("x")</script> <img src=x onerror=alert(1)>',
    )

    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_same_text_has_no_changes():
    html, stats = diff_html("Same.\nText.", "Same.\nText.")

    assert not stats.changed
    assert "<ins>" not in html and "<del>" not in html


def test_changes_are_announced_to_screen_readers():
    html, _stats = diff_html("old", "new")

    assert '<span class="visually-hidden">[added] </span>' in html
    assert '<span class="visually-hidden">[removed] </span>' in html
