"""Factories of versioned documents and decisions (made through the services, as staff would)."""

import datetime

import factory

from governance.charter import services
from governance.charter.models import Decision
from tests.governance.bodies.factories import BodyFactory


def publish_ground_rules(staff, body=None, *, text="## Decisions\n\nBy consensus.", title="Ground rules"):
    return services.ground_rules_publish(actor=staff, body=body or BodyFactory(), title=title, text=text)


def publish_mission(staff, *, text="CASM reduces poverty.", title="Mission", consultation=None):
    return services.mission_publish(actor=staff, title=title, text=text, consultation=consultation)


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision saved directly (for reads); the services are tested on their own."""

    class Meta:
        model = Decision

    body = factory.SubFactory(BodyFactory)
    text = factory.Sequence(lambda n: f"Decision number {n}.")
    decided_on = datetime.date(2011, 1, 21)
    method = Decision.Method.CONSENSUS
    visibility = Decision.Visibility.PUBLIC
