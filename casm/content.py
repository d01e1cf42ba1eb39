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
from django.utils.text import format_lazy
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


def content_apply(item: TranslatableContent, translations, content_language: str | None = None) -> bool:
    """Set the language of ``item``'s original (None keeps it) and its translations (checked by
    ``clean_translations`` against that language; None keeps them), for a service to save.

    Returns whether either changed, so the history row can say so. Raises ValidationError on a
    language the portal does not offer or malformed translations, before changing anything.
    """
    original = item.content_language if content_language is None else content_language
    if original not in language_codes():
        raise ValidationError(
            {"content_language": _("%(code)s is not a language of the portal.") % {"code": original}}
        )
    if translations is None:
        translations = {code: texts for code, texts in (item.translations or {}).items() if code != original}
    cleaned = clean_translations(type(item), translations, original=original)
    if cleaned == (item.translations or {}) and original == item.content_language:
        return False
    item.content_language, item.translations = original, cleaned
    return True


class TranslationsFormMixin:
    """For a staff form of a TranslatableContent: ``content_language`` (the language the texts are
    written in) and a blank-allowed copy of each translatable field per language, named
    ``translation-<language>-<field>``; ``clean`` gathers them into ``translations``
    (``{"fr": {"title": …}}``), which the services check and save with ``content_apply``.

    Every language gets its copies, so that choosing another original works without scripts; a
    text given for the language chosen as the original is an error (the page hides that group
    when scripts run). The template shows them with ``{% include "casm/_translations_fieldset.html" %}``.
    """

    translatable: tuple[str, ...] = ()

    def add_translation_fields(self, original: str = "en") -> None:
        self.fields["content_language"] = forms.ChoiceField(
            label=_("Language of the original"),
            choices=[(code, language_name(code)) for code in language_codes()],
            initial=original,
            required=False,  # not posted: the original keeps its language
            help_text=_("The language the texts above are written in; translations go below."),
        )
        self.translation_languages = language_codes()
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
        original = cleaned.get("content_language") or self.fields["content_language"].initial
        cleaned["content_language"] = original
        translations = {}
        for code in self.translation_languages:
            for name in self.translatable:
                field_name = self.translation_field_name(code, name)
                text = (cleaned.pop(field_name, "") or "").strip()
                if text and code == original:
                    self.add_error(
                        field_name,
                        _(
                            "This is the language of the original: leave this blank, or choose "
                            "another language for the original."
                        ),
                    )
                elif text:
                    translations.setdefault(code, {})[name] = text
        cleaned["translations"] = translations
        return cleaned


class LocalizedNameChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options read ``obj.localized_name()`` (the name in the reader's
    language, without the "not translated" note: names are labels)."""

    def label_from_instance(self, obj):
        return obj.localized_name()


# ---------------------------------------------------------------- the Django admin


def translations_admin_form(model, fields: tuple[str, ...]) -> type[forms.ModelForm]:
    """An admin form for a TranslatableContent: one blank-allowed field per language and
    translatable field (``translation-<language>-<field>``) in place of the raw JSON; ``clean``
    checks them with ``clean_translations`` against the original's language."""
    attrs = {}
    for code in language_codes():
        for name in fields:
            model_field = model._meta.get_field(name)
            attrs[TranslationsFormMixin.translation_field_name(code, name)] = forms.CharField(
                label=format_lazy("{}: {}", dict(settings.LANGUAGES)[code], model_field.verbose_name),
                required=False,
                max_length=model_field.max_length,
                widget=forms.Textarea(attrs={"rows": 3}) if model_field.max_length is None else None,
            )

    def __init__(self, *args, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        for code, texts in (self.instance.translations or {}).items():
            for name, text in texts.items():
                if TranslationsFormMixin.translation_field_name(code, name) in self.fields:
                    self.initial.setdefault(TranslationsFormMixin.translation_field_name(code, name), text)

    def clean(self):
        cleaned = forms.ModelForm.clean(self)
        original = cleaned.get("content_language") or self.instance.content_language or "en"
        given = {}
        for code in language_codes():
            for name in fields:
                text = (cleaned.get(TranslationsFormMixin.translation_field_name(code, name)) or "").strip()
                if text and code != original:
                    given.setdefault(code, {})[name] = text
        self.instance.translations = clean_translations(model, given, original=original)
        return cleaned

    attrs.update(
        {
            "__init__": __init__,
            "clean": clean,
            "Meta": type("Meta", (), {"model": model, "exclude": ["translations"]}),
        }
    )
    return type(f"{model.__name__}AdminForm", (forms.ModelForm,), attrs)


def translations_fieldset(fields: tuple[str, ...]) -> tuple:
    """The "Translations" fieldset (collapsed); a translation into the original's language is ignored."""
    return (
        gettext_lazy("Translations"),
        {
            "classes": ["collapse"],
            "fields": [
                TranslationsFormMixin.translation_field_name(code, name)
                for code in language_codes()
                for name in fields
            ],
        },
    )
