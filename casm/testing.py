"""Helpers shared by the tests: a real SMTP sink, the browser, the services the suite needs.

Outside CI a test that needs a missing service or Chromium is skipped with the reason;
with CI=true nothing is skipped and a missing part fails the run.
"""

import email
import email.policy
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(condition: bool, reason: str) -> None:
    """Skip (locally) or fail (in CI) when a real part the test needs is absent."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"CI must run this test, but: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SmtpSink:
    """Messages received by a real SMTP server (aiosmtpd) listening on 127.0.0.1.

    A test makes it misbehave on purpose: addresses in ``refuse_recipients`` are refused for good
    (``550 5.1.1``), those in ``defer_recipients`` for now (``451 4.3.0``). ``connections`` counts
    the SMTP sessions that greeted it (EHLO/HELO), one per connection a client used.
    """

    host: str
    port: int
    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    refuse_recipients: set = field(default_factory=set)
    defer_recipients: set = field(default_factory=set)
    connections: int = 0
    # Called with each message once it is recorded, before the server answers "250": a test can act
    # at the moment a mail is accepted and its sender not yet told (tests/casm/outbox/test_worker_crashes).
    on_accept: Callable | None = None

    def wait_for(self, to: str, subject_contains: str = "", timeout: float = 15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for message in self.messages:
                    if to.lower() in message["To"].lower() and subject_contains in message["Subject"]:
                        return message
            time.sleep(0.1)
        raise AssertionError(f"no mail to {to} with {subject_contains!r} arrived in {timeout}s")

    @staticmethod
    def body(message) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else message.get_payload()


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    def _count_connection(self, session) -> None:
        if not getattr(session, "casm_counted", False):  # a second EHLO (after STARTTLS) is the same one
            session.casm_counted = True
            with self.sink.lock:
                self.sink.connections += 1

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 - aiosmtpd's hook name
        session.host_name = hostname
        self._count_connection(session)
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):  # noqa: N802 - aiosmtpd's hook name
        session.host_name = hostname
        self._count_connection(session)
        return f"250 {server.hostname}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook name
        with self.sink.lock:
            refused = address.lower() in {a.lower() for a in self.sink.refuse_recipients}
            deferred = address.lower() in {a.lower() for a in self.sink.defer_recipients}
        if refused:
            return "550 5.1.1 mailbox unavailable"
        if deferred:
            return "451 4.3.0 try later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        with self.sink.lock:
            self.sink.messages.append(message)
        if self.sink.on_accept is not None:
            self.sink.on_accept(message)
        return "250 Message accepted"


def start_smtp_sink(*, refuse_recipients=()):
    from aiosmtpd.controller import Controller

    port = free_port()
    sink = SmtpSink(host="127.0.0.1", port=port, refuse_recipients=set(refuse_recipients))
    controller = Controller(_Handler(sink), hostname="127.0.0.1", port=port)
    controller.start()
    return sink, controller


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def totp_code(user) -> str:
    """The current TOTP code of a user who has set up an authenticator."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def race(worker, n: int = 2) -> list:
    """Run ``worker(i)`` in n threads released at the same moment; return what each returned or raised.

    For database constraints under concurrent writes (each thread has its own connection).
    """
    from django.db import connections

    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = worker(i)
        except Exception as exc:  # the race's loser raises; the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def log_in_with_second_factor(client, user) -> None:
    """Log ``client`` in as ``user`` as if it had passed allauth's MFA stage (a TOTP code) in this session.

    ``force_login`` alone leaves no "mfa" authentication record, which the admin asks for.
    """
    import time

    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
    from allauth.mfa.models import Authenticator

    client.force_login(user)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "id": getattr(authenticator, "pk", None), "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def deliver_mail() -> list:
    """Deliver what waits in the outbox, here and now; return Django's test outbox (``mail.outbox``).

    Services write mail to the outbox in their transaction and wake a sender once it commits;
    inside a test's transaction nothing commits, so a test delivers explicitly, as a worker would.
    """
    from django.core import mail

    from casm.outbox.services.delivery import outbox_send_due

    outbox_send_due()
    return mail.outbox
