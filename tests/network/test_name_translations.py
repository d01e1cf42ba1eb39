"""Chamber, sub-chamber and sector names in the reader's language (names are labels: no note)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from casm import demo
from casm.testing import log_in_with_second_factor
from network.forms.join import JoinForm
from network.models import Chamber, Sector, SubChamber
from network.templatetags.network_tags import sector_place
from tests.network.factories import ChamberFactory, SectorFactory, SubChamberFactory, make_superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def names():
    chamber = ChamberFactory(
        code="civil",
        name="Civil society chamber",
        translations={"fr": {"name": "Chambre de la société civile"}},
    )
    sector = SectorFactory(
        code="ngos",
        name="Development NGOs",
        chamber=chamber,
        translations={"fr": {"name": "ONG de développement"}, "es": {"name": "ONG de desarrollo"}},
    )
    sub = SubChamberFactory(chamber=chamber, code="south", name="South", translations={"fr": {"name": "Sud"}})
    return chamber, sector, sub


def test_a_french_visitor_sees_french_chamber_and_sector_names_on_the_home_page(client, names):
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("network:home")).content.decode()

    assert "Chambre de la société civile" in page
    assert "ONG de développement" in page
    assert "Civil society chamber" not in page and "Development NGOs" not in page
    assert "non traduit" not in page


def test_a_language_without_a_translation_shows_the_english_names(client, names):
    client.cookies["django_language"] = "pt"
    page = client.get(reverse("network:home")).content.decode()

    assert "Civil society chamber" in page and "Development NGOs" in page
    assert "não traduzido" not in page


def test_the_join_forms_choices_are_in_the_readers_language(names):
    with translation.override("fr"):
        form = JoinForm()
        sectors = [label for _value, label in form.fields["sector"].choices]
        subs = [label for _value, label in form.fields["sub_chamber"].choices]
    assert "ONG de développement" in sectors
    assert "Chambre de la société civile — Sud" in subs

    with translation.override("pt"):
        form = JoinForm()
        sectors = [label for _value, label in form.fields["sector"].choices]
    assert "Development NGOs" in sectors


def test_the_join_page_in_french_lists_the_french_sector_names(client, names):
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("network:join"), follow=True).content.decode()

    assert "ONG de développement" in page


def test_sector_place_uses_the_readers_language_and_str_keeps_the_original(names):
    chamber, sector, sub = names
    with translation.override("fr"):
        assert sector_place(sector) == "ONG de développement / Chambre de la société civile"
        assert str(sector) == "Development NGOs"
        assert str(sub) == "Civil society chamber — South"
    with translation.override("es"):
        assert sector_place(sector) == "ONG de desarrollo / Civil society chamber"


def test_the_demos_chambers_sub_chambers_and_sectors_carry_french_spanish_and_portuguese_names():
    for code, *_rest in demo.CHAMBERS:
        assert set(demo.CHAMBER_TRANSLATIONS[code]) == {"fr", "es", "pt"}
    for chamber_code, code, *_rest in demo.SUB_CHAMBERS:
        assert set(demo.SUB_CHAMBER_TRANSLATIONS[(chamber_code, code)]) == {"fr", "es", "pt"}
    for code, *_rest in demo.SECTORS:
        assert set(demo.SECTOR_TRANSLATIONS[code]) == {"fr", "es", "pt"}

    demo.demo_load()

    for model in (Chamber, SubChamber, Sector):
        for item in model.objects.all():
            assert item.content_language == "en"
            assert "name" not in item.missing_translations().get("fr", []), item
            assert "name" not in item.missing_translations().get("es", []), item
            assert "name" not in item.missing_translations().get("pt", []), item
    assert not any(chamber.missing_translations() for chamber in Chamber.objects.all())
    assert Chamber.objects.get(code="government").localized("name", "fr").text == (
        "Gouvernements et organismes publics"
    )
    assert Sector.objects.get(code="miners").localized("name", "es").text == (
        "Pequeños mineros y sus representantes"
    )
    assert SubChamber.objects.get(code="north").localized("name", "pt").text == "Outros governos (Norte)"


def test_staff_translate_a_sector_name_in_the_admin_translations_fieldset():
    client = Client()
    log_in_with_second_factor(client, make_superuser())
    sector = SectorFactory(name="Civil society", translations={"es": {"name": "Sociedad civil"}})
    url = f"/admin/network/sector/{sector.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form["translation-es-name"].value() == "Sociedad civil"
    data = {bound.html_name: bound.value() for bound in form if bound.value() not in (None, False)}
    data.update(
        {"translation-fr-name": " Société civile ", "translation-es-name": "", "translation-en-name": "x"}
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    sector.refresh_from_db()
    assert sector.translations == {"fr": {"name": "Société civile"}}

    data["translation-pt-name"] = "x" * 161
    response = client.post(url, data)
    assert response.status_code == 200
    sector.refresh_from_db()
    assert "pt" not in sector.translations


def test_the_chamber_and_sub_chamber_admin_pages_show_the_translations_fieldset(names):
    chamber, _sector, sub = names
    client = Client()
    log_in_with_second_factor(client, make_superuser())
    for url in (
        f"/admin/network/chamber/{chamber.pk}/change/",
        "/admin/network/chamber/add/",
        f"/admin/network/subchamber/{sub.pk}/change/",
        "/admin/network/sector/add/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "translation-pt-name" in response.content.decode(), url
    assert (
        'value="Chambre de la société civile"'
        in client.get(f"/admin/network/chamber/{chamber.pk}/change/").content.decode()
    )
