"""The committee's analysis of a consultation: figures, texts, lists, CSV export, report and access."""

import csv
import io
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from casm import roles
from governance.consultations.models import ConsultationSection, ProposedOption, Response, UnclearFlag
from governance.consultations.selectors import analysis as selectors_analysis
from tests.governance.consultations.factories import consultation_with_options, submitted_response
from tests.network.factories import (
    ChamberFactory,
    MemberFactory,
    OrganisationFactory,
    SectorFactory,
    UserFactory,
)

SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _committee_user():
    """A committee member with TOTP set up (reading individual responses requires it)."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.COMMITTEE))
    TOTP.activate(user, generate_totp_secret())
    return user


def _url(name, consultation, *args, query: str = "") -> str:
    url = reverse(f"consultations:{name}", args=[consultation.slug, *args])
    return f"{url}?{query}" if query else url


@pytest.fixture
def world(db):
    """Three chambers, four sectors (two in the first chamber), and a consultation of two sections.

    Section 1 is ranked, section 2 picked; each has options A, B, C. Four submitted responses and
    a draft (which must never count), and one audience member in chamber 2 who did not respond:

    ====  ========  ======  =======  ============  ==========  =================
    who   chamber   sector  country  org type      section 1   section 2 (pick)
    ====  ========  ======  =======  ============  ==========  =================
    r1    one       s1a     GH       advocacy_ngo  A=1 B=2     A
    r2    one       s1b     ML       miners_group  B=1 A=2 C=3 A B
    r3    two       s2      GH       advocacy_ngo  A=1         C
    r4    three     s3      GH       advocacy_ngo  C=1 A=2     —
    d     one       s1a     GH       advocacy_ngo  C=1 (draft) —
    ====  ========  ======  =======  ============  ==========  =================
    """
    one = ChamberFactory(code="one", name="Chamber One", order=1)
    two = ChamberFactory(code="two", name="Chamber Two", order=2)
    three = ChamberFactory(code="three", name="Chamber Three", order=3)
    s1a = SectorFactory(code="s1a", name="Sector 1a", chamber=one, order=1)
    s1b = SectorFactory(code="s1b", name="Sector 1b", chamber=one, order=2)
    s2 = SectorFactory(code="s2", name="Sector 2", chamber=two, order=3)
    s3 = SectorFactory(code="s3", name="Sector 3", chamber=three, order=4)
    consultation = consultation_with_options(sections=2, options=3, slug="options-paper")
    first, second = consultation.sections.order_by("order")
    second.mode = ConsultationSection.Mode.PICK
    second.save()
    a1, b1, c1 = first.options.order_by("order")
    a2, b2, c2 = second.options.order_by("order")
    ngo = OrganisationFactory(org_type="advocacy_ngo", country="GH")
    miners = OrganisationFactory(org_type="miners_group", country="ML")

    def person(sector, organisation, country="GH"):
        return MemberFactory(sector=sector, organisation=organisation, country=country)

    r1 = submitted_response(consultation, person(s1a, ngo), ranks={a1: 1, b1: 2, a2: 1}, rationale="R1 says")
    r2 = submitted_response(
        consultation,
        person(s1b, miners, "ML"),
        ranks={b1: 1, a1: 2, c1: 3, a2: 1, b2: 1},
        rationale="R2 says",
    )
    r3 = submitted_response(consultation, person(s2, ngo), ranks={a1: 1, c2: 1}, rationale="R3 says")
    r4 = submitted_response(consultation, person(s3, ngo), ranks={c1: 1, a1: 2}, rationale="R4 says")
    draft = submitted_response(consultation, person(s1a, ngo), ranks={c1: 1}, rationale="Draft says")
    Response.objects.filter(pk=draft.pk).update(status=Response.Status.DRAFT, submitted_at=None)
    person(s2, ngo)  # in the audience, has not responded
    return {
        "consultation": consultation,
        "chambers": (one, two, three),
        "sectors": (s1a, s1b, s2, s3),
        "sections": (first, second),
        "options": ((a1, b1, c1), (a2, b2, c2)),
        "responses": (r1, r2, r3, r4),
        "draft": draft,
    }


def _figures(analysis, section_index):
    section = analysis.sections[section_index]
    return section, {item.option.code: item for item in section.options}


# ---------------------------------------------------------------- figures


def test_counts_and_shares_of_a_ranked_section(world):
    analysis = selectors_analysis.consultation_analysis(world["consultation"])
    section, options = _figures(analysis, 0)

    assert analysis.total == 4  # the draft is not counted
    assert section.respondents == 4
    assert [options[c].first.count for c in "ABC"] == [2, 1, 1]
    assert [options[c].first.share for c in "ABC"] == [50.0, 25.0, 25.0]
    assert [options[c].ranked.count for c in "ABC"] == [4, 2, 2]
    assert [options[c].ranked.share for c in "ABC"] == [100.0, 50.0, 50.0]
    assert options["A"].mean_rank == 1.5
    assert options["C"].mean_rank == 2.0  # r2 ranked it 3, r4 ranked it 1; the draft's rank 1 ignored


def test_picks_share_of_the_section_respondents(world):
    analysis = selectors_analysis.consultation_analysis(world["consultation"])
    section, options = _figures(analysis, 1)

    assert section.respondents == 3
    assert [options[c].first.count for c in "ABC"] == [2, 1, 1]
    assert options["A"].first.share == Decimal("66.7")


def test_breakdown_by_chamber_and_by_sector(world):
    analysis = selectors_analysis.consultation_analysis(world["consultation"])
    section, options = _figures(analysis, 0)

    assert [c.name for c in analysis.chambers] == ["Chamber One", "Chamber Two", "Chamber Three"]
    assert section.respondents_by_chamber == [2, 1, 1]
    assert [(cell.count, cell.share) for cell in options["A"].by_chamber] == [(1, 50.0), (1, 100.0), (0, 0.0)]
    assert [(cell.count, cell.share) for cell in options["B"].by_chamber] == [(1, 50.0), (0, 0.0), (0, 0.0)]
    assert [(cell.count, cell.share) for cell in options["C"].by_chamber] == [(0, 0.0), (0, 0.0), (1, 100.0)]
    assert [s.code for s in analysis.sectors] == ["s1a", "s1b", "s2", "s3"]
    assert section.respondents_by_sector == [1, 1, 1, 1]
    assert [cell.count for cell in options["A"].by_sector] == [1, 0, 1, 0]
    assert [cell.count for cell in options["B"].by_sector] == [0, 1, 0, 0]


@pytest.mark.parametrize(
    ("filters", "total", "first_a", "respondents"),
    [
        ({"chamber": "one"}, 2, 1, 2),
        ({"sector": "s2"}, 1, 1, 1),
        ({"country": "ML"}, 1, 0, 1),
        ({"org_type": "advocacy_ngo"}, 3, 2, 3),
        ({"chamber": "one", "country": "GH"}, 1, 1, 1),
    ],
)
def test_filters_narrow_every_figure(world, filters, total, first_a, respondents):
    chambers = {c.code: c for c in world["chambers"]}
    sectors = {s.code: s for s in world["sectors"]}
    resolved = {
        name: chambers[value] if name == "chamber" else sectors[value] if name == "sector" else value
        for name, value in filters.items()
    }
    consultation = world["consultation"]

    analysis = selectors_analysis.consultation_analysis(consultation, filters=resolved)
    section, options = _figures(analysis, 0)

    assert analysis.total == total
    assert analysis.rate_total.responded == total
    assert section.respondents == respondents
    assert options["A"].first.count == first_a
    assert sum(o.rationale_count for o in section.options) == respondents
    assert selectors_analysis.analysis_responses(consultation, filters=resolved).count() == total
    exported = {
        row[0]
        for row in list(selectors_analysis.consultation_export_rows(consultation, filters=resolved))[1:]
    }
    assert len(exported) == total


def test_chamber_filter_narrows_the_breakdown_columns(world):
    one = world["chambers"][0]
    analysis = selectors_analysis.consultation_analysis(world["consultation"], filters={"chamber": one})

    assert analysis.chambers == [one]
    assert [s.code for s in analysis.sectors] == ["s1a", "s1b"]
    assert [row.chamber for row in analysis.rates] == [one]


def test_response_rate_per_chamber_against_the_audience(world):
    analysis = selectors_analysis.consultation_analysis(world["consultation"])

    rows = [(row.chamber.code, row.invited, row.responded) for row in analysis.rates]
    # Chamber one: r1, r2 and the draft's author are invited; two submitted.
    assert rows == [("one", 3, 2), ("two", 2, 1), ("three", 1, 1)]
    assert (analysis.rate_total.invited, analysis.rate_total.responded) == (6, 4)
    assert analysis.rates[0].rate == Decimal("66.7")


def test_response_rate_of_a_chamber_audience(world):
    consultation = world["consultation"]
    one, two, _three = world["chambers"]
    consultation.audience = consultation.Audience.CHAMBERS
    consultation.save()
    consultation.chambers.set([one])

    analysis = selectors_analysis.consultation_analysis(consultation)

    assert [(row.invited, row.responded) for row in analysis.rates] == [(3, 2), (0, 1), (0, 1)]
    assert analysis.rates[1].rate is None


def test_rationale_grouped_by_first_choice(world):
    analysis = selectors_analysis.consultation_analysis(world["consultation"])
    _section, options = _figures(analysis, 0)
    _picks, picked = _figures(analysis, 1)

    assert sorted(row["rationale"] for row in options["A"].rationale) == ["R1 says", "R3 says"]
    assert [row["rationale"] for row in options["B"].rationale] == ["R2 says"]
    assert [row["rationale"] for row in options["C"].rationale] == ["R4 says"]  # not the draft's
    assert options["A"].rationale_count == 2
    # In a pick section, a rationale stands under every option picked.
    assert sorted(row["rationale"] for row in picked["A"].rationale) == ["R1 says", "R2 says"]


def test_rationale_samples_are_capped_with_the_full_count(world):
    consultation = world["consultation"]
    a1 = world["options"][0][0]
    for n in range(5):
        submitted_response(
            consultation, MemberFactory(sector=world["sectors"][0]), ranks={a1: 1}, rationale=f"x{n}"
        )

    analysis = selectors_analysis.consultation_analysis(consultation, rationale_limit=3)
    _section, options = _figures(analysis, 0)

    assert len(options["A"].rationale) == 3
    assert options["A"].rationale_count == 7


def _ranked_world(firsts: dict[str, int]):
    """A one-section ranked consultation; ``firsts`` maps an option code to how many put it first."""
    consultation = consultation_with_options(sections=1, options=3, slug="rounding")
    options = {option.code: option for option in consultation.sections.get().options.all()}
    sector = SectorFactory()
    for code, count in firsts.items():
        for _ in range(count):
            submitted_response(consultation, MemberFactory(sector=sector), ranks={options[code]: 1})
    return consultation


def test_shares_are_rounded_half_up_on_the_page(db, committee_client):
    consultation = _ranked_world({"A": 1, "B": 5})  # 16.666… % and 83.333… %

    html = committee_client.get(_url("consultation_analysis", consultation)).content.decode()

    assert "16.7&nbsp;%" in html and "16.6&nbsp;%" not in html
    assert "83.3&nbsp;%" in html
    assert "Shares are rounded, so they may not add up to exactly 100 %." in html  # the explanation
    assert "rounding-note" not in html  # 16.7 + 83.3 = 100.0


def test_section_says_when_its_rounded_shares_do_not_add_up_to_100(db, committee_client):
    consultation = _ranked_world({"A": 1, "B": 1, "C": 1})  # 33.3 % three times: 99.9 %

    analysis = selectors_analysis.consultation_analysis(consultation)
    html = committee_client.get(_url("consultation_analysis", consultation)).content.decode()

    assert analysis.sections[0].first_shares_add_up is False
    assert html.count("33.3&nbsp;%") >= 3
    assert 'rounding-note">Shares are rounded, so they may not add up to exactly 100 %.' in html
    assert "first; these shares add up to 100 %." not in html  # no longer claimed of the rounded figures


def test_response_rate_is_rounded_half_up(world, committee_client):
    html = committee_client.get(_url("consultation_analysis", world["consultation"])).content.decode()

    assert "66.7&nbsp;%" in html  # chamber one: 2 of 3
    assert "66.6&nbsp;%" not in html


# ---------------------------------------------------------------- pages


@pytest.fixture
def committee_client(db):
    return _client(_committee_user())


def test_analysis_page_shows_figures_and_escaped_texts(world, committee_client):
    r1, r2, _r3, _r4 = world["responses"]
    a1, b1, _c1 = world["options"][0]
    UnclearFlag.objects.create(response=r1, option=b1, text=f"What does B mean? {SCRIPT}")
    ProposedOption.objects.create(
        response=r2, section=world["sections"][0], title=f"Option D {SCRIPT}", description=f"Do D {SCRIPT}"
    )
    r2.general_comments = f"Thanks {SCRIPT}"
    r2.save()

    page = committee_client.get(_url("consultation_analysis", world["consultation"]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "4 submitted responses counted." in html
    assert "50.0&nbsp;%" in html and "25.0&nbsp;%" in html
    assert "What does B mean?" in html and "Option D" in html and "Do D" in html and "Thanks" in html
    assert SCRIPT not in html
    assert html.count(ESCAPED) == 5  # the proposal's title heads its group too
    assert "Draft says" not in html
    assert "Chamber Three" in html and "Sector 1b" in html
    assert "What the figures mean" in html


def test_analysis_page_filters_from_the_query_string(world, committee_client):
    one = world["chambers"][0]

    page = committee_client.get(
        _url("consultation_analysis", world["consultation"], query=f"chamber={one.pk}")
    )

    html = page.content.decode()
    assert "2 submitted responses counted." in html
    assert "R3 says" not in html and "R1 says" in html
    assert f"chamber={one.pk}" in html  # carried to the export, report and lists


def test_analysis_page_ignores_a_bad_filter_with_a_message(world, committee_client):
    page = committee_client.get(_url("consultation_analysis", world["consultation"], query="chamber=99999"))

    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    assert "4 submitted responses counted." in page.content.decode()


def test_option_rationale_and_section_comment_pages(world, committee_client):
    consultation = world["consultation"]
    a1 = world["options"][0][0]
    r1 = world["responses"][0]
    UnclearFlag.objects.create(response=r1, option=a1, text=f"Unclear {SCRIPT}")

    page = committee_client.get(_url("consultation_option_rationale", consultation, a1.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "R1 says" in html and "R3 says" in html and "R2 says" not in html
    assert f"Unclear {ESCAPED}" in html
    comments = committee_client.get(
        _url("consultation_section_comments", consultation, world["sections"][0].pk)
    )
    assert comments.status_code == 200 and "R4 says" in comments.content.decode()
    general = committee_client.get(_url("consultation_general_comments", consultation))
    assert general.status_code == 200


def test_option_of_another_consultation_is_404(world, committee_client):
    other = consultation_with_options(sections=1, options=1)
    option = other.sections.get().options.get()

    page = committee_client.get(_url("consultation_option_rationale", world["consultation"], option.pk))

    assert page.status_code == 404


def test_responses_list_and_detail(world, committee_client):
    consultation = world["consultation"]
    r1 = world["responses"][0]
    r1.general_comments = f"General {SCRIPT}"
    r1.save()
    ml = "country=ML"

    listing = committee_client.get(_url("consultation_responses", consultation, query=ml))
    detail = committee_client.get(_url("consultation_response_detail", consultation, r1.pk))
    draft = committee_client.get(_url("consultation_response_detail", consultation, world["draft"].pk))

    assert listing.status_code == 200
    assert "1 submitted response." in listing.content.decode()
    assert world["responses"][1].member.full_name in listing.content.decode()
    assert detail.status_code == 200
    assert "R1 says" in detail.content.decode() and f"General {ESCAPED}" in detail.content.decode()
    assert draft.status_code == 404


def test_report_renders_the_whole_analysis_for_print(world, committee_client):
    r1 = world["responses"][0]
    UnclearFlag.objects.create(response=r1, option=world["options"][0][1], text="B is vague")

    page = committee_client.get(_url("consultation_report", world["consultation"]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "casm/print.css" in html and 'media="print"' in html
    assert "Print command" in html
    assert "B is vague" in html and "Section 1" in html and "Section 2" in html
    assert 'class="site-header"' not in html  # no navigation


# ---------------------------------------------------------------- CSV export


def _export(client, consultation, query=""):
    response = client.get(_url("consultation_export", consultation, query=query))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_has_one_row_per_response_and_section(world, committee_client):
    consultation = world["consultation"]
    r1, r2, _r3, _r4 = world["responses"]
    a1, b1, _c1 = world["options"][0]
    UnclearFlag.objects.create(response=r1, option=b1, text="B is vague")
    ProposedOption.objects.create(response=r1, section=world["sections"][0], title="D", description="Do D")
    ProposedOption.objects.create(response=r1, section=None, title="Z", description="For all")
    r1.general_comments = "Good paper"
    r1.is_public = True
    r1.save()

    rows = _export(committee_client, consultation)

    header, body = rows[0], rows[1:]
    assert header == selectors_analysis.EXPORT_COLUMNS
    assert len(body) == 4 * 2  # four submitted responses × two sections; no draft
    by_key = {(row[0], row[9]): dict(zip(header, row, strict=True)) for row in body}
    first = by_key[str(r1.pk), "Section 1"]
    assert first["preferences"] == "A=1;B=2"
    assert first["rationale"] == "R1 says"
    assert first["unclear"] == "B: B is vague"
    assert first["proposed_options"] == "D: Do D"
    assert first["proposed_options_whole_paper"] == "Z: For all"
    assert first["general_comments"] == "Good paper"
    assert first["public"] == "yes"
    assert first["respondent"] == r1.member.full_name
    assert first["chamber"] == "Chamber One" and first["sector"] == "Sector 1a" and first["country"] == "GH"
    assert first["org_type"] == "advocacy_ngo"
    assert first["submitted_at_utc"].endswith("+00:00")
    assert by_key[str(r1.pk), "Section 2"]["preferences"] == "A=1"
    assert by_key[str(r2.pk), "Section 1"]["preferences"] == "B=1;A=2;C=3"
    assert by_key[str(r2.pk), "Section 1"]["public"] == "no"


def test_export_guards_against_formula_injection(world, committee_client):
    r1 = world["responses"][0]
    r1.general_comments = '=HYPERLINK("http://evil")'
    r1.save()
    r1.answers.filter(section=world["sections"][0]).update(rationale="+1 because")
    r1.member.full_name = "@SUM(A1)"
    r1.member.save()
    UnclearFlag.objects.create(response=r1, option=world["options"][0][0], text="-2 is odd")

    rows = _export(committee_client, world["consultation"])

    header = rows[0]
    mine = [dict(zip(header, row, strict=True)) for row in rows[1:] if row[0] == str(r1.pk)]
    assert mine[0]["general_comments"] == '\'=HYPERLINK("http://evil")'
    assert mine[0]["respondent"] == "'@SUM(A1)"
    assert {row["rationale"] for row in mine} >= {"'+1 because"}
    assert mine[0]["unclear"] == "A: -2 is odd"  # starts with the code, not a formula sign


def test_export_follows_the_filters(world, committee_client):
    rows = _export(committee_client, world["consultation"], query="country=ML")

    assert {row[0] for row in rows[1:]} == {str(world["responses"][1].pk)}


# ---------------------------------------------------------------- queries


def _analysis_queries(client, consultation) -> int:
    url = _url("consultation_analysis", consultation)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _grow(consultation, count):
    section = consultation.sections.order_by("order").first()
    a, b, c = section.options.order_by("order")
    sector = SectorFactory()
    for n in range(count):
        response = submitted_response(
            consultation, MemberFactory(sector=sector), ranks={a: 1, b: 2, c: 3}, rationale=f"Reason {n}"
        )
        UnclearFlag.objects.create(response=response, option=b, text=f"Unclear {n}")
        ProposedOption.objects.create(response=response, section=section, title=f"New {n}", description="d")


@pytest.mark.parametrize(
    "name",
    [
        "consultation_analysis",
        "consultation_responses",
        "consultation_report",
        "consultation_general_comments",
    ],
)
def test_page_queries_do_not_grow_with_responses(db, name):
    """The same number of queries with 1 response and with 50.

    Analysis: session, account, groups' rights; the consultation; the filter's countries, chambers
    and sectors; sections and options; chamber and sector columns; preferences by option × chamber ×
    sector; respondents by section × chamber × sector; rationale, unclear and comment samples;
    responses and audience by chamber; general comments; the proposed options' ids and titles and
    the rows of a page of their groups (on PostgreSQL, the similar titles once per set of proposals:
    each count is taken after a first request). Lists: the same head, the paginator's count, a page.
    """
    client = _client(_committee_user())
    consultation = consultation_with_options(sections=2, options=3)
    _grow(consultation, 1)
    url = _url(name, consultation)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _grow(consultation, 49)
    client.get(url)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url).status_code == 200

    assert len(one.captured_queries) == len(fifty.captured_queries)
    assert len(fifty.captured_queries) <= 25


def test_export_queries_are_per_chunk_not_per_response(
    world, committee_client, django_assert_max_num_queries
):
    """Session, account, rights; consultation; countries; sections; then five per chunk of responses."""
    _grow(world["consultation"], 30)
    with django_assert_max_num_queries(14):
        rows = _export(committee_client, world["consultation"])
    assert len(rows) == 1 + 34 * 2


# ---------------------------------------------------------------- who may see it

PAGES = [
    ("consultation_analysis", ()),
    ("consultation_responses", ()),
    ("consultation_export", ()),
    ("consultation_report", ()),
    ("consultation_general_comments", ()),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_visitor_is_sent_to_log_in(world, name, args):
    response = Client().get(_url(name, world["consultation"], *args))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_ordinary_member_is_refused(world, name, args):
    member = world["responses"][0].member  # even one who responded

    response = _client(member.user).get(_url(name, world["consultation"], *args))

    assert response.status_code == 403


def test_ordinary_member_is_refused_a_response_and_option_page(world):
    client = _client(world["responses"][0].member.user)
    consultation = world["consultation"]

    assert (
        client.get(_url("consultation_response_detail", consultation, world["responses"][0].pk)).status_code
        == 403
    )
    assert (
        client.get(_url("consultation_option_rationale", consultation, world["options"][0][0].pk)).status_code
        == 403
    )


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_committee_and_staff_may_see_it(world, staff_user, name, args):
    for user in (_committee_user(), staff_user):
        assert _client(user).get(_url(name, world["consultation"], *args)).status_code == 200


def test_object_permission_grants_one_consultation_only(world):
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    assign_perm(selectors_analysis_permission(), user, world["consultation"])
    other = consultation_with_options(sections=1, options=2)
    client = _client(user)

    assert client.get(_url("consultation_analysis", world["consultation"])).status_code == 200
    assert client.get(_url("consultation_export", world["consultation"])).status_code == 200
    assert client.get(_url("consultation_analysis", other)).status_code == 403


def selectors_analysis_permission() -> str:
    from governance.consultations.permissions import ANALYSIS_PERMISSION

    return ANALYSIS_PERMISSION


def test_unknown_consultation_is_404_for_the_committee(db, committee_client):
    assert (
        committee_client.get(reverse("consultations:consultation_analysis", args=["nope"])).status_code == 404
    )


def test_page_says_which_filters_are_in_use(world, committee_client):
    page = committee_client.get(
        _url("consultation_analysis", world["consultation"], query="org_type=miners_group&country=ML")
    )

    html = page.content.decode()
    assert "Organisation type: Small-scale miners&#x27; group or association" in html
    assert "Country: Mali" in html
    assert "1 submitted response counted." in html


@pytest.mark.django_db
def test_staff_without_two_factor_set_up_are_sent_to_set_it_up_before_the_analysis(client):
    from django.contrib.auth.models import Group

    from casm import roles
    from tests.governance.consultations.factories import consultation_with_options
    from tests.network.factories import UserFactory

    consultation = consultation_with_options(sections=1)
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    client.force_login(staff)

    response = client.get(reverse("consultations:consultation_analysis", args=[consultation.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_analysis_filter_is_django_filter_with_the_pages_parameters(world):
    """One definition of the filters: parameters read, values chosen, links written, rows narrowed."""
    from django.http import QueryDict

    from governance.consultations.filters import AnalysisFilter

    consultation = world["consultation"]
    one = world["chambers"][0]
    submitted = Response.objects.filter(consultation=consultation, status=Response.Status.SUBMITTED)
    filterset = AnalysisFilter(
        QueryDict(f"chamber={one.pk}&country=GH&org_type=&sector=bad&page=2"),
        countries=selectors_analysis.analysis_countries(consultation),
        queryset=submitted,
    )

    values = filterset.values()

    assert values == {"chamber": one, "country": "GH"}  # blank and bad ones do not filter
    assert "sector" in filterset.form.errors
    assert filterset.querystring() == f"chamber={one.pk}&country=GH"
    narrowed = selectors_analysis.submitted_responses(consultation, values)
    assert set(narrowed) == set(submitted.filter(chamber=one, country="GH"))
    assert ("Country", "Ghana") in filterset.chosen()


def test_report_and_lists_follow_the_filters_and_carry_them(world, committee_client):
    consultation = world["consultation"]

    report = committee_client.get(_url("consultation_report", consultation, query="country=ML"))
    responses = committee_client.get(_url("consultation_responses", consultation, query="country=ML"))

    assert "1 submitted response counted." in report.content.decode()
    assert "country=ML" in report.content.decode()
    assert responses.context["page"].paginator.count == 1
