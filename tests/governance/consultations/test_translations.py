"""A consultation in several languages: readers see theirs or the original with a note; staff
translate through the forms and see what is missing; mail goes out in the recipient's language."""

import pytest
from django.urls import reverse

from casm.outbox.models import Message
from casm.outbox.services.delivery import outbox_send_due
from governance.consultations.models import Consultation, ConsultationOption
from governance.consultations.services import consultations as services
from governance.consultations.services import reminders
from tests.governance.consultations.factories import consultation_with_options
from tests.governance.consultations.reminder_factories import DAY, invited_consultation

pytestmark = pytest.mark.django_db

FR_TITLE = "Renforcer le statu quo"


def _translated_paper():
    """A consultation whose first option has a French title and nothing in Spanish."""
    consultation = consultation_with_options(sections=1, options=2)
    option = ConsultationOption.objects.get(section__consultation=consultation, code="A")
    option.translations = {"fr": {"title": FR_TITLE}}
    option.save()
    return consultation, option


def _reader(member, client, language):
    member.user.preferred_language = language
    member.user.save()
    return client


def test_a_french_reader_sees_the_french_option_title(member, member_client):
    consultation, option = _translated_paper()
    client = _reader(member, member_client, "fr")

    for name in ("consultation_detail", "consultation_respond"):
        page = client.get(reverse(f"consultations:{name}", args=[consultation.slug])).content.decode()
        assert f"A. {FR_TITLE}</h3>" in page
        assert '<span lang="en">Option B</span>' in page  # B has no French: the original, marked


def test_a_spanish_reader_sees_the_english_original_with_the_note(member, member_client):
    consultation, option = _translated_paper()
    client = _reader(member, member_client, "es")

    page = client.get(
        reverse("consultations:consultation_respond", args=[consultation.slug])
    ).content.decode()

    assert FR_TITLE not in page
    assert '<span lang="en">Option A</span> <span class="untranslated-note">' in page
    assert "(no traducido al español: se muestra en inglés)" in page


def test_staff_save_translations_through_the_option_form_with_a_history_row(staff_client, staff_user):
    consultation, option = _translated_paper()
    url = reverse("consultations:staff_option_edit", args=[consultation.slug, option.pk])
    assert 'name="translation-pt-description"' in staff_client.get(url).content.decode()

    response = staff_client.post(
        url,
        {
            "code": "A",
            "title": "Option A",
            "description": "",
            "translation-fr-title": "",  # blank removes the French title
            "translation-es-title": " Reforzar el statu quo ",
            "translation-pt-title": "Fortalecer o status quo",
        },
    )

    assert response.status_code == 302
    option.refresh_from_db()
    assert option.translations == {
        "es": {"title": "Reforzar el statu quo"},
        "pt": {"title": "Fortalecer o status quo"},
    }
    newest = option.history.first()
    assert newest.translations == option.translations
    assert newest.history_user == staff_user
    assert newest.history_change_reason == "Option changed; language or translations changed"


def test_a_malformed_translation_post_changes_nothing(staff_client):
    consultation, option = _translated_paper()
    url = reverse("consultations:staff_option_edit", args=[consultation.slug, option.pk])
    rows = option.history.count()

    response = staff_client.post(url, {"code": "A", "title": "Option A", "translation-fr-title": "x" * 201})

    assert response.status_code == 200
    option.refresh_from_db()
    assert option.translations == {"fr": {"title": FR_TITLE}}
    assert option.history.count() == rows


def test_staff_save_section_translations_through_the_form(staff_client):
    consultation, option = _translated_paper()
    section = option.section
    url = reverse("consultations:staff_section_edit", args=[consultation.slug, section.pk])

    staff_client.post(
        url,
        {"title": section.title, "body": section.body, "mode": section.mode, "translation-fr-body": "Lisez."},
    )

    section.refresh_from_db()
    assert section.translations == {"fr": {"body": "Lisez."}}


def test_the_services_refuse_unknown_languages_and_fields(staff_user):
    consultation, option = _translated_paper()

    for translations in ({"de": {"title": "Stärken"}}, {"fr": {"code": "B"}}):
        with pytest.raises(Exception) as error:
            services.option_update(
                option=option, actor=staff_user, code="A", title="Option A", translations=translations
            )
        assert error.type.__name__ == "ValidationError"
    option.refresh_from_db()
    assert option.translations == {"fr": {"title": FR_TITLE}}


def test_the_staff_overview_lists_missing_translations_per_language(staff_client):
    consultation, option = _translated_paper()
    Consultation.objects.filter(pk=consultation.pk).update(is_published=False)

    page = staff_client.get(
        reverse("consultations:staff_consultation_detail", args=[consultation.slug])
    ).content.decode()

    assert "Missing translations" in page
    assert "Option B. Option B: title" in page
    french = page.split("French:")[1].split("</details>")[0]
    assert "Option A. Option A" not in french  # translated into French
    assert "Option A. Option A: title" in page.split("Spanish:")[1].split("</details>")[0]


def test_the_reminder_to_a_portuguese_member_uses_the_portuguese_title(mailoutbox):
    consultation, (member,) = invited_consultation(1, closes_in=DAY - DAY / 24)
    consultation.translations = {"pt": {"title": "Revitalizar a CASM"}}
    consultation.save()
    member.user.preferred_language = "pt"
    member.user.save()

    reminders.reminder_batch_send(consultation_id=consultation.pk, offset=1, member_ids=[member.pk])

    assert Message.objects.get().language == "pt"
    outbox_send_due()
    (mail,) = mailoutbox
    assert "Revitalizar a CASM" in mail.subject
    assert "Revitalizar a CASM" in mail.body


def test_staff_give_the_consultation_title_in_portuguese_through_its_form(staff_client):
    consultation, option = _translated_paper()
    url = reverse("consultations:staff_consultation_edit", args=[consultation.slug])
    page = staff_client.get(url).content.decode()
    assert "<legend>Translations</legend>" in page and 'name="translation-fr-introduction"' in page

    response = staff_client.post(
        url,
        {
            "title": consultation.title,
            "introduction": consultation.introduction,
            "audience": "all_active",
            "invitees": "",
            "time_zone": "UTC",
            "opens_at": "2030-11-01T09:00",
            "closes_at": "2030-12-10T23:59",
            "reminder_offsets": "7, 1",
            "translation-pt-title": "Revitalizar a CASM",
        },
    )

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.translations == {"pt": {"title": "Revitalizar a CASM"}}
    assert (
        consultation.history.first().history_change_reason
        == "Consultation changed; language or translations changed"
    )
    assert consultation.missing_translations() == {
        "fr": ["title", "introduction"],
        "es": ["title", "introduction"],
        "pt": ["introduction"],
    }


def _option_post(**extra):
    return {"code": "A", "title": "Renforcer le statu quo", "description": "", **extra}


def test_staff_write_an_option_in_french_with_its_english_translation(
    staff_client, staff_user, member, member_client
):
    consultation, option = _translated_paper()
    url = reverse("consultations:staff_option_edit", args=[consultation.slug, option.pk])
    page = staff_client.get(url).content.decode()
    assert 'name="content_language"' in page and "Language of the original" in page

    response = staff_client.post(
        url,
        _option_post(
            content_language="fr",
            **{
                "translation-en-title": "Strengthen the status quo",
                "translation-es-title": "Reforzar el statu quo",
            },
        ),
    )

    assert response.status_code == 302
    option.refresh_from_db()
    assert option.content_language == "fr"
    assert option.title == FR_TITLE
    assert option.translations == {
        "en": {"title": "Strengthen the status quo"},
        "es": {"title": "Reforzar el statu quo"},
    }
    assert option.missing_translations() == {"pt": ["title"]}
    # Readers: French sees the original unmarked, English the translation, Portuguese the French with a note.
    respond = reverse("consultations:consultation_respond", args=[consultation.slug])
    assert f"A. {FR_TITLE}</h3>" in _reader(member, member_client, "fr").get(respond).content.decode()
    assert (
        "A. Strengthen the status quo</h3>"
        in _reader(member, member_client, "en").get(respond).content.decode()
    )
    portuguese = _reader(member, member_client, "pt").get(respond).content.decode()
    assert f'<span lang="fr">{FR_TITLE}</span> <span class="untranslated-note">' in portuguese


def test_a_text_in_the_original_languages_own_group_is_refused_and_changes_nothing(staff_client):
    consultation, option = _translated_paper()
    url = reverse("consultations:staff_option_edit", args=[consultation.slug, option.pk])
    rows = option.history.count()

    # The French group still holds the French title while French becomes the original.
    response = staff_client.post(
        url, _option_post(content_language="fr", **{"translation-fr-title": FR_TITLE})
    )

    assert response.status_code == 200
    assert "This is the language of the original" in response.content.decode()
    option.refresh_from_db()
    assert (option.content_language, option.title, option.history.count()) == ("en", "Option A", rows)


def test_an_unknown_original_language_is_refused(staff_client, staff_user):
    consultation, option = _translated_paper()
    url = reverse("consultations:staff_option_edit", args=[consultation.slug, option.pk])

    response = staff_client.post(url, _option_post(content_language="de"))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(Exception) as error:
        services.option_update(option=option, actor=staff_user, code="A", title="A", content_language="xx")
    assert error.type.__name__ == "ValidationError"
    option.refresh_from_db()
    assert option.content_language == "en"


def test_a_new_section_defaults_to_the_consultations_language(staff_client):
    consultation, option = _translated_paper()
    Consultation.objects.filter(pk=consultation.pk).update(content_language="es", translations={})
    page = staff_client.get(
        reverse("consultations:staff_section_new", args=[consultation.slug])
    ).content.decode()
    assert '<option value="es" selected>' in page


def test_chamber_and_sector_names_are_in_the_readers_language_on_the_analysis_and_public_responses(
    client, staff_client, staff_user
):
    from tests.governance.consultations.factories import submitted_response
    from tests.network.factories import MemberFactory

    consultation = consultation_with_options(sections=1, options=2)
    member = MemberFactory()
    chamber, sector = member.sector.chamber, member.sector
    chamber.translations = {"fr": {"name": "Chambre des mineurs"}}
    chamber.save()
    sector.translations = {"fr": {"name": "Petits mineurs"}}
    sector.save()
    submitted_response(consultation, member, is_public=True)
    staff_user.preferred_language = "fr"
    staff_user.save()

    analysis = staff_client.get(
        reverse("consultations:consultation_analysis", args=[consultation.slug]) + f"?chamber={chamber.pk}"
    ).content.decode()
    public = client.get(
        reverse("consultations:consultation_public_responses", args=[consultation.slug]),
        HTTP_ACCEPT_LANGUAGE="fr",
    ).content.decode()
    responses = staff_client.get(
        reverse("consultations:consultation_responses", args=[consultation.slug])
    ).content.decode()

    for page in (analysis, public, responses):
        assert "Chambre des mineurs" in page
    assert "Petits mineurs" in public and "Petits mineurs" in responses
    assert f'<option value="{chamber.pk}" selected>Chambre des mineurs</option>' in analysis
