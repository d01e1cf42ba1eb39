"""Content that staff write, in several languages: the original and its translations.

Chosen over django-modeltranslation on purpose: that library rewrites model attributes, so a
missing translation silently falls back to the original, and it patches the history models. Here
the original stays in its own fields, the translations sit in one JSON field that
django-simple-history records like any other, and ``localized`` says whether what it returns is
a translation, so a page can tell the reader when it is not.
"""

import copy
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from casm.languages import language_name


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _base(language: str | None) -> str:
    """ "pt-br" → "pt"; None (no active language) → the site's default language."""
    code = (language or settings.LANGUAGE_CODE or "en").lower().split("-")[0]
    return code


@dataclass(frozen=True)
class Localized:
    """A text as shown to a reader: ``language`` is the language of ``text``; ``translated`` is
    False when the reader wanted another language and sees the original instead."""

    text: str
    language: str
    translated: bool
    wanted: str

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)


class TranslatableContent(models.Model):
    """Text fields (``translatable_fields``) written in ``content_language``, with translations.

    ``translations`` is ``{"fr": {"title": "…", "description": "…"}, …}``: only languages of
    ``settings.LANGUAGES`` other than the original's, only translatable fields, never blank
    (``clean_translations`` makes it so).
    """

    translatable_fields: tuple[str, ...] = ()

    content_language = models.CharField(
        gettext_lazy("language of the original"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    translations = models.JSONField(gettext_lazy("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def localized(self, field: str, language: str | None = None) -> Localized:
        """``field`` in ``language`` (by default the active one), or the original when untranslated."""
        if field not in self.translatable_fields:
            raise ValueError(f"{field} is not a translatable field of {type(self).__name__}")
        wanted = _base(language or get_language())
        original = getattr(self, field) or ""
        if wanted != self.content_language:
            text = ((self.translations or {}).get(wanted) or {}).get(field)
            if text:
                return Localized(text=text, language=wanted, translated=True, wanted=wanted)
        # The original: in the reader's language, or shown untranslated. An empty original needs no note.
        translated = wanted == self.content_language or not original
        return Localized(text=original, language=self.content_language, translated=translated, wanted=wanted)

    def missing_translations(self) -> dict[str, list[str]]:
        """{language: [field, …]}: the non-empty original fields that lack a translation into it."""
        missing = {}
        filled = [field for field in self.translatable_fields if (getattr(self, field) or "").strip()]
        for code in language_codes():
            if code == self.content_language:
                continue
            given = (self.translations or {}).get(code) or {}
            lacking = [field for field in filled if not (given.get(field) or "").strip()]
            if lacking:
                missing[code] = lacking
        return missing


def clean_translations(model: type[TranslatableContent], translations, *, original: str = "en") -> dict:
    """``translations`` checked and tidied: known languages other than ``original``, the model's
    translatable fields, strings within the field's length; blank texts removed.

    Raises ValidationError on anything else (a malformed post changes nothing).
    """
    if translations is None:
        return {}
    if not isinstance(translations, dict):
        raise ValidationError(_("The translations are not in the expected form."))
    cleaned: dict[str, dict[str, str]] = {}
    for code, texts in translations.items():
        if code not in language_codes() or code == original:
            raise ValidationError(_("%(code)s is not a language to translate into.") % {"code": code})
        if not isinstance(texts, dict):
            raise ValidationError(_("The translations are not in the expected form."))
        for field, text in texts.items():
            if field not in model.translatable_fields:
                raise ValidationError(_("%(field)s cannot be translated.") % {"field": field})
            if not isinstance(text, str):
                raise ValidationError(_("The translations are not in the expected form."))
            text = text.strip()
            max_length = model._meta.get_field(field).max_length
            if max_length and len(text) > max_length:
                raise ValidationError(
                    _("A translation is longer than %(max)s characters.") % {"max": max_length}
                )
            if text:
                cleaned.setdefault(code, {})[field] = text
    return cleaned


class TranslationsFormMixin:
    """For a staff form of a TranslatableContent: a blank-allowed copy of each translatable field
    per language other than the original's, named ``translation-<language>-<field>``; ``clean``
    gathers them into ``translations`` (``{"fr": {"title": …}}``), which the services check and save.

    The template shows them with ``{% include "casm/_translations_fieldset.html" %}``.
    """

    translatable: tuple[str, ...] = ()

    def add_translation_fields(self, original: str = "en") -> None:
        self.translation_languages = [code for code in language_codes() if code != original]
        for code in self.translation_languages:
            for name in self.translatable:
                field = copy.deepcopy(self.fields[name])
                field.required = False
                field.help_text = ""
                self.fields[self.translation_field_name(code, name)] = field

    @staticmethod
    def translation_field_name(code: str, name: str) -> str:
        return f"translation-{code}-{name}"

    @classmethod
    def translation_initial(cls, item) -> dict:
        return {
            cls.translation_field_name(code, name): text
            for code, texts in (item.translations or {}).items()
            for name, text in texts.items()
        }

    def original_fields(self):
        return [self[name] for name in self.fields if not name.startswith("translation-")]

    def translation_groups(self):
        """[(language name, [bound fields])] for the "Translations" fieldset."""
        return [
            (
                code,
                language_name(code),
                [self[self.translation_field_name(code, name)] for name in self.translatable],
            )
            for code in self.translation_languages
        ]

    def clean(self):
        cleaned = super().clean()
        translations = {}
        for code in self.translation_languages:
            for name in self.translatable:
                text = cleaned.pop(self.translation_field_name(code, name), "") or ""
                if text.strip():
                    translations.setdefault(code, {})[name] = text.strip()
        cleaned["translations"] = translations
        return cleaned


class LocalizedNameChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options read ``obj.localized_name()`` (the name in the reader's
    language, without the "not translated" note: names are labels)."""

    def label_from_instance(self, obj):
        return obj.localized_name()
