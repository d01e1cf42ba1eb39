"""The outbox tests send through Django's SMTP backend to a real aiosmtpd server (``smtp_sink``)."""

import pytest


@pytest.fixture(autouse=True)
def _outbox_settings(settings):
    """No rate limit unless a test sets one (the rate test does); the other values as in production."""
    settings.OUTBOX_RATE_LIMIT = 0
    settings.OUTBOX_BATCH_SIZE = 100
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.OUTBOX_MAX_ATTEMPTS = 10
    settings.OUTBOX_LEASE_SECONDS = 300
    settings.OUTBOX_SEND_SECONDS = 60
