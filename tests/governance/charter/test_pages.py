"""The pages, driven by the test client as each kind of user."""

import datetime

import pytest
from django.urls import reverse

from governance.charter.models import Decision, DocumentVersion
from tests.governance.bodies.factories import BodyFactory
from tests.governance.charter.factories import DecisionFactory, publish_ground_rules, publish_mission

pytestmark = pytest.mark.django_db

MEMBERS = Decision.Visibility.MEMBERS


# ---------------------------------------------------------------- the mission and ground rules


def test_mission_page_shows_the_version_in_force_its_changes_and_every_version(client, staff_user):
    from tests.governance.consultations.factories import consultation_with_options

    consultation = consultation_with_options(sections=1, title="Options paper 2010")
    publish_mission(staff_user, title="Draft mission (2010)", text="CASM aims to reduce poverty.")
    publish_mission(
        staff_user, title="Revised mission", text="CASM aims to end poverty.", consultation=consultation
    )

    page = client.get(reverse("charter:mission"))
    html = page.content.decode()

    assert page.status_code == 200
    assert "Revised mission" in html and "CASM aims to end poverty." in html
    assert "Draft mission (2010)" in html  # in the list of versions
    assert reverse("charter:mission_version", args=[1]) in html
    assert reverse("consultations:consultation_detail", args=[consultation.slug]) in html
    assert staff_user.email not in html  # who published is for staff
    assert "Changes from version 1 to version 2" in html and "end</ins>" in html

    version = client.get(reverse("charter:mission_version", args=[2])).content.decode()
    assert "Changes from version 1 to version 2" in version
    assert "end</ins>" in version and "reduce</del>" in version


def test_a_version_can_be_compared_with_the_first_and_an_old_one_says_it_is_not_in_force(client, staff_user):
    for text in ("One two three.", "One two four.", "One five four."):
        publish_mission(staff_user, text=text)

    against_first = client.get(reverse("charter:mission_version", args=[3]) + "?against=1").content.decode()
    current_against_first = client.get(reverse("charter:mission") + "?against=1").content.decode()
    old = client.get(reverse("charter:mission_version", args=[1])).content.decode()

    assert "Changes from version 1 to version 3" in against_first
    assert "Changes from version 1 to version 3" in current_against_first
    assert reverse("charter:mission_version", args=[3]) + "?against=2" in current_against_first
    assert "This version is no longer in force." in old
    assert "Changes from" not in old


@pytest.mark.parametrize("against", ["9", "abc", "3", "-1"])
def test_a_bad_comparison_falls_back_to_the_previous_version(client, staff_user, against):
    publish_mission(staff_user, text="One.")
    publish_mission(staff_user, text="Two.")

    page = client.get(reverse("charter:mission_version", args=[2]) + f"?against={against}")

    assert page.status_code == 200
    assert "Changes from version 1 to version 2" in page.content.decode()


def test_pages_without_versions_say_so_and_unknown_versions_are_404(client):
    body = BodyFactory(slug="isc")

    assert "No version has been published yet." in client.get(reverse("charter:mission")).content.decode()
    assert client.get(reverse("charter:ground_rules", args=["isc"])).status_code == 200
    assert client.get(reverse("charter:mission_version", args=[1])).status_code == 404
    assert client.get(reverse("charter:ground_rules_version", args=[body.slug, 1])).status_code == 404
    assert client.get(reverse("charter:ground_rules", args=["nope"])).status_code == 404


def test_body_page_links_to_its_ground_rules_and_decisions(client, staff_user):
    body = BodyFactory(slug="isc", name="Interim Steering Committee")
    publish_ground_rules(staff_user, body, title="Ground rules as adopted", text="We seek consensus.")

    body_page = client.get(reverse("bodies:body_detail", args=["isc"])).content.decode()
    rules = client.get(reverse("charter:ground_rules", args=["isc"])).content.decode()

    assert reverse("charter:ground_rules", args=["isc"]) in body_page
    assert reverse("charter:decision_list", args=["isc"]) in body_page
    assert "Ground rules as adopted" in rules and "We seek consensus." in rules


def test_html_in_a_version_is_never_run_on_its_pages(client, staff_user):
    body = BodyFactory(slug="isc")
    publish_ground_rules(staff_user, body, text="Fine.")
    publish_ground_rules(
        staff_user, body, text='Fine. <script>alert("x")</script><img src=x onerror=alert(1)>'
    )

    html = client.get(reverse("charter:ground_rules_version", args=["isc", 2])).content.decode()

    assert "<script>alert" not in html and "onerror=alert(1)>" not in html.replace("&lt;", "")
    assert "&lt;script&gt;" in html  # shown as typed in the changes


# ---------------------------------------------------------------- decisions and who sees them


@pytest.mark.parametrize(
    "role, sees_members_only", [("visitor", False), ("applicant", False), ("member", True), ("staff", True)]
)
def test_members_only_decisions_are_shown_to_active_members_and_staff_only(
    role_clients, role, sees_members_only
):
    body = BodyFactory(slug="isc")
    DecisionFactory(body=body, text="Public: the calendar is set.")
    DecisionFactory(body=body, text="Members only: the pilot countries.", visibility=MEMBERS)

    html = role_clients[role].get(reverse("charter:decision_list", args=["isc"])).content.decode()

    assert "Public: the calendar is set." in html
    assert ("Members only: the pilot countries." in html) is sees_members_only


def test_decision_list_shows_how_each_was_decided(client):
    body = BodyFactory(slug="isc")
    DecisionFactory(body=body, method=Decision.Method.VOTE, votes_for=7, votes_against=1, votes_abstain=1)
    DecisionFactory(body=body, method=Decision.Method.CHAIR)

    html = client.get(reverse("charter:decision_list", args=["isc"])).content.decode()

    assert "7 for, 1 against, 1 abstaining" in html
    assert "By the chair" in html


def _decision_post(**overrides):
    data = {
        "text": "The committee adopts the revised mission.",
        "decided_on": "2011-02-15",
        "method": "vote",
        "votes_for": "7",
        "votes_against": "1",
        "votes_abstain": "1",
        "visibility": "public",
        "content_language": "en",
    }
    return data | overrides


def test_staff_record_a_vote_with_its_figures(staff_client, staff_user):
    body = BodyFactory(slug="isc")

    response = staff_client.post(
        reverse("charter:staff_decision_new", args=["isc"]),
        _decision_post(**{"translation-fr-text": "Le comité adopte la mission révisée."}),
    )

    assert response.status_code == 302
    decision = Decision.objects.get(body=body)
    assert (decision.votes_for, decision.votes_against, decision.votes_abstain) == (7, 1, 1)
    assert decision.localized("text", "fr").text == "Le comité adopte la mission révisée."
    assert decision.history.get().history_user == staff_user


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"votes_for": "", "votes_against": "", "votes_abstain": ""}, "votes_for"),
        ({"votes_abstain": ""}, "votes_abstain"),
        ({"votes_for": "-3"}, "votes_for"),
        ({"votes_against": "1.5"}, "votes_against"),
        ({"text": "   "}, "text"),
        ({"method": "consensus"}, "votes_for"),
        ({"method": "acclamation"}, "method"),
        ({"decided_on": "2999-01-01"}, "decided_on"),
    ],
)
def test_bad_decision_input_gives_form_errors_and_changes_nothing(staff_client, overrides, field):
    body = BodyFactory(slug="isc")
    existing = DecisionFactory(body=body, text="Unchanged.")
    before = (Decision.objects.count(), Decision.history.count())

    new = staff_client.post(reverse("charter:staff_decision_new", args=["isc"]), _decision_post(**overrides))
    edit = staff_client.post(
        reverse("charter:staff_decision_edit", args=["isc", existing.pk]), _decision_post(**overrides)
    )

    for response in (new, edit):
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert (Decision.objects.count(), Decision.history.count()) == before
    existing.refresh_from_db()
    assert existing.text == "Unchanged."


def test_staff_edit_a_decision_and_see_it_in_the_history(staff_client, staff_user):
    body = BodyFactory(slug="isc")
    decision = DecisionFactory(body=body, text="Draft wording.")

    staff_client.post(
        reverse("charter:staff_decision_edit", args=["isc", decision.pk]),
        _decision_post(
            text="Final wording.", method="chair", votes_for="", votes_against="", votes_abstain=""
        ),
    )
    history = staff_client.get(reverse("charter:staff_body_history", args=["isc"])).content.decode()

    decision.refresh_from_db()
    assert decision.text == "Final wording." and decision.method == Decision.Method.CHAIR
    assert "Decision changed" in history and staff_user.email in history


def test_staff_publish_ground_rules_through_the_form(staff_client, staff_user):
    body = BodyFactory(slug="isc")
    publish_ground_rules(staff_user, body, text="We seek consensus.")

    form = staff_client.get(reverse("charter:staff_ground_rules_publish", args=["isc"]))
    response = staff_client.post(
        reverse("charter:staff_ground_rules_publish", args=["isc"]),
        {
            "title": "Ground rules as adopted",
            "text": "We seek consensus, then vote.",
            "summary": "A vote when consensus fails.",
            "content_language": "en",
            "translation-es-title": "Reglas adoptadas",
        },
    )

    assert "We seek consensus." in form.content.decode()  # the form starts from the version in force
    assert response.status_code == 302
    assert response["Location"] == reverse("charter:ground_rules_version", args=["isc", 2])
    latest = DocumentVersion.objects.get(number=2)
    assert latest.published_by == staff_user
    assert latest.localized("title", "es").text == "Reglas adoptadas"


def test_staff_publish_the_mission_with_the_consultation_that_informed_it(staff_client):
    from tests.governance.consultations.factories import consultation_with_options

    consultation = consultation_with_options(sections=1)

    response = staff_client.post(
        reverse("charter:staff_mission_publish"),
        {"title": "Mission", "text": "CASM.", "consultation": consultation.pk, "content_language": "en"},
    )

    assert response.status_code == 302
    assert DocumentVersion.objects.get().consultation == consultation


def test_an_empty_version_gives_a_form_error_and_publishes_nothing(staff_client):
    BodyFactory(slug="isc")

    response = staff_client.post(
        reverse("charter:staff_ground_rules_publish", args=["isc"]),
        {"title": "Rules", "text": "  ", "content_language": "en"},
    )

    assert response.status_code == 200 and "text" in response.context["form"].errors
    assert not DocumentVersion.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "member"])
def test_members_posting_to_staff_pages_are_refused_and_change_nothing(role_clients, role, staff_user):
    body = BodyFactory(slug="isc")
    decision = DecisionFactory(body=body, text="Unchanged.")

    answers = [
        role_clients[role].post(reverse("charter:staff_decision_new", args=["isc"]), _decision_post()),
        role_clients[role].post(
            reverse("charter:staff_decision_edit", args=["isc", decision.pk]), _decision_post()
        ),
        role_clients[role].post(
            reverse("charter:staff_ground_rules_publish", args=["isc"]), {"title": "Mine", "text": "Mine."}
        ),
        role_clients[role].post(reverse("charter:staff_mission_publish"), {"title": "Mine", "text": "Mine."}),
    ]

    assert [answer.status_code for answer in answers] == [403] * 4
    assert Decision.objects.count() == 1 and not DocumentVersion.objects.exists()
    decision.refresh_from_db()
    assert decision.text == "Unchanged."


# ---------------------------------------------------------------- queries do not grow with rows


def test_decision_list_queries_do_not_grow_with_decisions(member_client, django_assert_max_num_queries):
    """Queries: the session, the account, its member record and membership (for members-only
    decisions), the body, the decisions with who recorded them."""
    body = BodyFactory(slug="isc")
    DecisionFactory(body=body)
    url = reverse("charter:decision_list", args=["isc"])
    member_client.get(url)  # the session's first request may save it

    with django_assert_max_num_queries(6) as one:
        assert member_client.get(url).status_code == 200
    for day in range(30):
        DecisionFactory(body=body, decided_on=datetime.date(2011, 1, 1) + datetime.timedelta(days=day))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert member_client.get(url).status_code == 200


def test_version_pages_queries_do_not_grow_with_versions(client, staff_user, django_assert_max_num_queries):
    """Queries (a visitor): the body, its document, its versions with publisher and consultation."""
    body = BodyFactory(slug="isc")
    publish_ground_rules(staff_user, body, text="Version 1")
    publish_ground_rules(staff_user, body, text="Version 2")
    urls = [
        reverse("charter:ground_rules", args=["isc"]),
        reverse("charter:ground_rules_version", args=["isc", 2]),
    ]

    counts = []
    for url in urls:
        with django_assert_max_num_queries(4) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    for n in range(3, 25):
        publish_ground_rules(staff_user, body, text=f"Version {n}")
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_staff_home_queries_do_not_grow_with_bodies(staff_client, staff_user, django_assert_max_num_queries):
    """Queries: the session, the account, its groups and MFA; the bodies with their counts; the mission."""
    publish_ground_rules(staff_user, BodyFactory())
    url = reverse("charter:staff_home")
    staff_client.get(url)

    with django_assert_max_num_queries(10) as one:
        assert staff_client.get(url).status_code == 200
    for _ in range(20):
        body = BodyFactory()
        publish_ground_rules(staff_user, body)
        DecisionFactory(body=body)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert staff_client.get(url).status_code == 200
