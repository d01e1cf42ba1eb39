"""Twenty people press "Submit" (or "Ask for more time") at once on the demo's SQLite file.

Run as ``python -m tests.casm.sqlite_writers DB_PATH`` by tests/casm/test_sqlite_writers.py: a
process of its own, so that SQLite is a real file shared by real threads, as under runserver.
Prints the HTTP statuses of each burst as JSON.
"""

import json
import os
import sys
import threading

WRITERS = 20


def main(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "casm.settings.test"
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from governance.consultations.models import ExtensionRequest, Response
    from tests.governance.consultations.respond_factories import form_post, paper
    from tests.network.factories import MemberFactory

    call_command("migrate", verbosity=0)
    consultation = paper()
    member = MemberFactory()
    post = form_post(
        consultation, action="submit", ranks={"A": 1}, picks=("A",), rationale="Why.", pick_rationale="Why."
    )
    bursts = {
        "respond": (reverse("consultations:consultation_respond", args=[consultation.slug]), post),
        "extension": (
            reverse("consultations:consultation_extension_request", args=[consultation.slug]),
            {"reason": "Our association meets on the 20th."},
        ),
    }
    result = {}
    for name, (url, data) in bursts.items():
        clients = []
        for _ in range(WRITERS):
            client = Client(raise_request_exception=False)
            client.force_login(member.user)
            clients.append(client)
        connection.close()
        barrier = threading.Barrier(WRITERS)
        statuses = []

        def press(client, url=url, data=data, barrier=barrier, statuses=statuses):
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
            connection.close()

        threads = [threading.Thread(target=press, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        result[name] = sorted(statuses)
    result["responses"] = Response.objects.filter(member=member).count()
    result["extension_requests"] = ExtensionRequest.objects.filter(member=member).count()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
