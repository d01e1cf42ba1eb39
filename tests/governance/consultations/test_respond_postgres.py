"""One official response per organisation, under two submissions racing on PostgreSQL.

Only an organisation's official contact may answer for it, so two racing official responses come
from a change of contact while the former contact's submission is in flight. The tests stand in
for that moment by letting both members pass the contact check.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from casm.testing import need, race
from governance.consultations.models import Response
from governance.consultations.selectors import responses as selectors_responses
from governance.consultations.services import responses as services
from governance.consultations.services.responses import response_save
from tests.governance.consultations.respond_factories import answer, paper
from tests.network.factories import MemberFactory, OrganisationFactory, SectorFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _two_contacts(monkeypatch):
    sector = SectorFactory()
    organisation = OrganisationFactory()
    members = [MemberFactory(sector=sector, organisation=organisation) for _ in range(2)]
    monkeypatch.setattr(selectors_responses, "official_organisation_of", lambda member: organisation)
    return organisation, members


def _submit_for(consultation, members):
    def submit(i):
        member = members[i]
        data = answer(consultation, comment=f"Official view {i}.", on_behalf=True)
        return response_save(
            consultation=consultation, member=member, actor=member.user, values=data, submit=True
        )

    return submit


def _assert_one_official(organisation, results):
    assert Response.objects.filter(on_behalf_of=organisation).count() == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert "already sent its official response" in refused[0].message_dict["on_behalf"][0]
    assert sum(isinstance(r, Response) for r in results) == 1
    assert Response.objects.count() == 1  # the loser's response was not kept either


def test_one_official_response_per_organisation_under_concurrent_submissions(monkeypatch):
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    consultation = paper()
    organisation, members = _two_contacts(monkeypatch)

    results = race(_submit_for(consultation, members))

    _assert_one_official(organisation, results)


def test_the_database_alone_keeps_one_official_response(monkeypatch):
    """The check in Python passes for both (neither sees the other uncommitted): the constraint decides."""
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    consultation = paper()
    organisation, members = _two_contacts(monkeypatch)
    monkeypatch.setattr(services, "_official_response_taken", lambda *args: False)

    results = race(_submit_for(consultation, members))

    _assert_one_official(organisation, results)
