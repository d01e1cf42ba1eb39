"""Pledges and bodies in several languages: staff give the translations, readers see theirs."""

import pytest
from django.test import Client
from django.urls import reverse

from casm.testing import log_in_with_second_factor
from network.models import Pledge
from tests.governance.bodies.factories import BodyFactory
from tests.network.factories import make_superuser

pytestmark = pytest.mark.django_db


def test_staff_publish_a_pledge_with_its_translations_and_members_read_theirs(
    staff_client, member, member_client
):
    response = staff_client.post(
        reverse("network:staff_pledge_publish"),
        {
            "kind": Pledge.Kind.PARTICIPATION,
            "title": "Participation commitment",
            "text": "I will take part in good faith.",
            "translation-fr-title": "Engagement de participation",
            "translation-fr-text": "Je participerai de bonne foi.",
            "translation-es-title": "Compromiso de participación",
        },
    )

    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.translations == {
        "fr": {"title": "Engagement de participation", "text": "Je participerai de bonne foi."},
        "es": {"title": "Compromiso de participación"},
    }
    assert pledge.history.first().translations == pledge.translations

    member.user.preferred_language = "fr"
    member.user.save()
    page = member_client.get(reverse("network:pledges")).content.decode()
    assert "Je participerai de bonne foi." in page and "Engagement de participation" in page

    member.user.preferred_language = "es"
    member.user.save()
    page = member_client.get(reverse("network:pledges")).content.decode()
    assert "Compromiso de participación" in page
    assert (
        '<div class="pledge-text paragraphs" lang="en"><p>I will take part in good faith.</p></div>' in page
    )
    assert "(no traducido al español: se muestra en inglés)" in page


def test_a_malformed_pledge_translation_publishes_nothing(staff_client):
    staff_client.post(
        reverse("network:staff_pledge_publish"),
        {"kind": Pledge.Kind.PARTICIPATION, "title": "T", "text": "Text", "translation-pt-title": "x" * 201},
    )

    assert not Pledge.objects.exists()


def test_a_body_description_is_shown_in_the_readers_language_or_with_the_note(client):
    BodyFactory(
        slug="smag",
        description="Advises the network.",
        translations={"pt": {"description": "Assessora a rede."}},
    )
    detail = reverse("bodies:body_detail", args=["smag"])

    client.cookies["django_language"] = "pt"
    assert "Assessora a rede." in client.get(detail).content.decode()
    assert "Assessora a rede." in client.get(reverse("bodies:body_list")).content.decode()

    client.cookies["django_language"] = "fr"
    page = client.get(detail).content.decode()
    assert '<p lang="en">Advises the network.</p>' in page
    assert "(non traduit en français\u00a0: affiché en anglais)" in page


def test_staff_translate_a_body_description_in_the_admin_and_choose_its_original_language():
    body = BodyFactory(description="Advises the secretariat.")
    client = Client()
    log_in_with_second_factor(client, make_superuser())
    url = f"/admin/bodies/body/{body.pk}/change/"
    form = client.get(url).context["adminform"].form
    assert "translation-fr-description" in form.fields
    data = {bound.html_name: bound.value() for bound in form if bound.value() not in (None, False, "")}
    data |= {"order": body.order, "seats-TOTAL_FORMS": "0", "seats-INITIAL_FORMS": "0"}
    data |= {
        "description": "Conseille le secrétariat.",
        "content_language": "fr",
        "translation-en-description": "Advises the secretariat.",
        "translation-fr-description": "ignored: the original's language",
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    body.refresh_from_db()
    assert body.content_language == "fr"
    assert body.translations == {"en": {"description": "Advises the secretariat."}}
    assert body.history.first().history_user is not None
