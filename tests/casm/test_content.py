"""Translatable content (``casm.content``): the text a reader sees, the note, what is missing."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from casm.content import clean_translations
from governance.consultations.models import ConsultationOption

pytestmark = pytest.mark.django_db


def _option(**kwargs) -> ConsultationOption:
    """An unsaved option: the methods read only its fields."""
    fields = {"code": "A", "title": "Strengthen the status quo", "description": "Keep CASM as it is."}
    return ConsultationOption(**{**fields, **kwargs})


def test_localized_gives_the_translation_in_the_readers_language():
    option = _option(translations={"fr": {"title": "Renforcer le statu quo"}})

    shown = option.localized("title", "fr")

    assert str(shown) == "Renforcer le statu quo"
    assert shown.language == "fr" and shown.translated


def test_localized_gives_the_original_untranslated_when_the_language_is_missing():
    option = _option(translations={"fr": {"title": "Renforcer le statu quo"}})

    shown = option.localized("title", "es")

    assert str(shown) == "Strengthen the status quo"
    assert shown.language == "en" and not shown.translated and shown.wanted == "es"


def test_localized_original_is_translated_for_a_reader_of_its_language_and_follows_the_active_one():
    option = _option(translations={"pt": {"title": "Fortalecer o status quo"}})

    assert option.localized("title", "en").translated
    assert option.localized("title", "en-gb").translated
    with translation.override("pt"):
        assert str(option.localized("title")) == "Fortalecer o status quo"


def test_an_empty_original_needs_no_note():
    assert _option(description="").localized("description", "fr").translated


def test_localized_refuses_a_field_that_is_not_translatable():
    with pytest.raises(ValueError):
        _option().localized("code", "fr")


def test_missing_translations_lists_non_empty_fields_without_a_translation():
    option = _option(
        description="",
        translations={"fr": {"title": "Renforcer le statu quo"}, "es": {"title": "  "}},
    )

    assert option.missing_translations() == {"es": ["title"], "pt": ["title"]}
    assert _option(content_language="fr", description="").missing_translations() == {
        "en": ["title"],
        "es": ["title"],
        "pt": ["title"],
    }


def test_clean_translations_keeps_known_languages_and_fields_and_drops_blanks():
    cleaned = clean_translations(
        ConsultationOption, {"fr": {"title": " Renforcer ", "description": ""}, "es": {"title": ""}}
    )

    assert cleaned == {"fr": {"title": "Renforcer"}}


@pytest.mark.parametrize(
    "translations",
    [
        {"de": {"title": "Stärken"}},
        {"en": {"title": "The original's own language"}},
        {"fr": {"code": "B"}},
        {"fr": {"title": 3}},
        {"fr": "Renforcer"},
        {"fr": {"title": "x" * 201}},
        ["fr"],
    ],
)
def test_clean_translations_refuses_anything_else(translations):
    with pytest.raises(ValidationError):
        clean_translations(ConsultationOption, translations)


def _render(source: str, **context) -> str:
    return Template("{% load casm_tags %}" + source).render(Context(context))


def test_the_localized_filter_and_tag_show_the_note_and_the_original_language():
    option = _option(translations={"fr": {"title": "Renforcer le statu quo"}})

    with translation.override("fr"):
        assert _render('{{ option|localized:"title" }}', option=option) == "Renforcer le statu quo"
        assert _render('{% localized_text option "title" %}', option=option) == "Renforcer le statu quo"
    with translation.override("es"):
        html = _render('{% localized_text option "title" %}', option=option)
        with_note = _render(
            '{% with t=option|localized:"title" %}{{ t }}{{ t|untranslated_note }}{% endwith %}',
            option=option,
        )

    assert '<span lang="en">Strengthen the status quo</span>' in html
    assert '<span class="untranslated-note">' in html and "(" in html
    assert with_note.startswith('Strengthen the status quo<span class="untranslated-note">')


def test_the_tag_escapes_staff_text_and_renders_markdown_in_a_block():
    option = _option(title="<b>bold</b>", description="**Keep** it")

    with translation.override("fr"):
        title = _render('{% localized_text option "title" %}', option=option)
        description = _render('{% localized_text option "description" markdown=True %}', option=option)

    assert "&lt;b&gt;" in title
    assert description.startswith('<div lang="en"><p><strong>Keep</strong> it</p></div>')


def test_the_demo_paper_options_carry_french_spanish_and_portuguese():
    """Every option of the 2010 paper has a title and a description in each language."""
    from casm import demo_consultations as demo

    for section_title, _mode, _body, options in demo.SECTIONS:
        for code, _title, description in options:
            translations = demo.option_translations(section_title, code)
            assert set(translations) == {"fr", "es", "pt"}, (section_title, code)
            option = _option(title="x", description=description, translations=translations)
            assert option.missing_translations() == {}
