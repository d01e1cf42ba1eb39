"""One format per kind of date, in the viewer's language; names, not codes; a usable zone list."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from casm.formats import format_date, format_datetime
from casm.timezones import zone_choices, zone_values

MOMENT = datetime.datetime(2026, 12, 1, 8, 11, tzinfo=datetime.UTC)


def _render(source: str, **context) -> str:
    return Template("{% load casm_tags %}" + source).render(Context(context))


def test_a_date_in_english_is_day_month_year_with_the_month_named():
    with translation.override("en"):
        assert format_date(MOMENT) == "1 December 2026"
        assert format_date(MOMENT, "short") == "1 Dec 2026"
        assert format_datetime(MOMENT) == "1 December 2026, 08:11 (UTC)"


def test_a_french_viewer_sees_a_french_month_name():
    with translation.override("fr"):
        assert _render("{{ when|date_only }}", when=MOMENT) == "1 décembre 2026"
        assert "décembre" in _render("{{ when|date_time }}", when=MOMENT)


def test_a_date_and_time_in_a_zone_names_the_zone():
    with translation.override("en"):
        shown = _render('{% datetime when "long" "America/New_York" %}', when=MOMENT)

    assert shown == "1 December 2026, 03:11 (America/New_York)"


def test_consultation_deadlines_use_the_same_format():
    with translation.override("es"):
        shown = Template("{% load consultation_times %}{{ when|in_zone:'UTC' }}").render(
            Context({"when": MOMENT})
        )

    assert shown == "1 de diciembre de 2026 a las 08:11 (UTC)"


def test_countries_and_languages_show_as_names_in_the_viewers_language():
    with translation.override("en"):
        assert _render("{{ codes|country_names }}", codes=["CH", "NL"]) == "Switzerland, Netherlands"
        assert _render("{{ codes|language_names }}", codes=["en", "fr"]) == "English, French"
        assert _render("{{ code|country_name }}", code="GH") == "Ghana"
    with translation.override("fr"):
        assert _render("{{ codes|country_names }}", codes=["CH"]) == "Suisse"
        assert _render("{{ codes|language_names }}", codes=["en"]) == "Anglais"


def test_the_zone_list_has_no_aliases_and_groups_by_region_common_first():
    choices = zone_choices()
    groups = [str(label) for label, _options in choices]
    values = zone_values(choices)

    assert groups[0] == "Most used"
    assert {"Africa", "Americas", "Asia", "Europe"} <= set(groups)
    assert "US/Eastern" not in values and "Etc/GMT+5" not in values and "EST5EDT" not in values
    assert {"UTC", "America/New_York", "Africa/Accra", "Europe/Paris"} <= values
    assert choices[0][1][0] == ("UTC", "UTC")
    assert ("Africa/Accra", "Accra (Ghana)") in choices[0][1]
    africa = dict(choices)[next(label for label, _o in choices if str(label) == "Africa")]
    assert all(value.startswith("Africa/") for value, _label in africa)


def test_a_zone_already_saved_as_an_alias_stays_selectable():
    assert "US/Eastern" in zone_values(zone_choices(current="US/Eastern"))


@pytest.mark.django_db
def test_the_staff_member_page_names_languages_and_shows_dates_in_one_format(staff_client):
    from tests.network.factories import MemberFactory

    member = MemberFactory(languages=["en", "pt"])
    html = staff_client.get(reverse("network:staff_member_detail", args=[member.pk])).content.decode()

    assert "English, Portuguese" in html
    assert "en, pt" not in html


@pytest.mark.django_db
def test_the_consultation_form_offers_grouped_canonical_zones(staff_client):
    html = staff_client.get(reverse("consultations:staff_consultation_new")).content.decode()

    assert '<optgroup label="Africa">' in html
    assert 'value="US/Eastern"' not in html
    assert 'value="Africa/Accra"' in html
