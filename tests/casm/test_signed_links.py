"""The shared signed links (``casm.signed_links``): what they bind, and how a bad one is told apart."""

import datetime
from unittest import mock

import pytest
from django.core import signing

from casm.signed_links import LinkExpired, LinkInvalid, link_read, link_token, new_nonce

PURPOSE = "casm.test-link"
DAY = datetime.timedelta(days=1)


def test_a_genuine_link_gives_back_its_object_member_and_nonce():
    nonce = new_nonce()
    token = link_token(purpose=PURPOSE, object_id=7, member_id=42, nonce=nonce)

    link = link_read(token, purpose=PURPOSE, max_age=DAY)

    assert (link.object_id, link.member_id, link.nonce) == (7, 42, nonce)
    assert link.nonce_matches(nonce)
    assert not link.nonce_matches(new_nonce())
    assert not link.nonce_matches("")


def test_an_altered_link_is_invalid_not_expired():
    token = link_token(purpose=PURPOSE, object_id=7, member_id=42, nonce="n")
    _payload, rest = token.split(":", 1)
    forged_payload = signing.b64_encode(b'[7,43,"n"]').decode()

    for bad in (forged_payload + ":" + rest, token[:-2] + "xx", token[:10], "", "forged"):
        with pytest.raises(LinkInvalid) as caught:
            link_read(bad, purpose=PURPOSE, max_age=DAY)
        assert not isinstance(caught.value, LinkExpired), bad


def test_a_link_made_for_another_purpose_is_invalid():
    token = link_token(purpose="casm.other", object_id=7, member_id=42, nonce="n")

    with pytest.raises(LinkInvalid):
        link_read(token, purpose=PURPOSE, max_age=DAY)


def test_a_genuine_link_older_than_max_age_is_expired():
    token = link_token(purpose=PURPOSE, object_id=7, member_id=42, nonce="n")
    later = signing.time.time() + 2 * DAY.total_seconds()

    with mock.patch.object(signing.time, "time", return_value=later), pytest.raises(LinkExpired):
        link_read(token, purpose=PURPOSE, max_age=DAY)


def test_a_link_without_nonce_keeps_the_two_element_form_of_older_links():
    old_style = signing.dumps([3, 4], salt=PURPOSE)  # as the consultations' stop links were made

    link = link_read(old_style, purpose=PURPOSE, max_age=None)

    assert (link.object_id, link.member_id, link.nonce) == (3, 4, None)
    assert not link.nonce_matches("anything")
    new_style = link_token(purpose=PURPOSE, object_id=3, member_id=4, nonce=None)
    assert new_style.split(":")[0] == old_style.split(":")[0]


def test_a_signed_payload_of_the_wrong_shape_is_invalid():
    for payload in ({"a": 1}, [1], [1, 2, 3, 4], ["1", 2], [1, 2, 3]):
        with pytest.raises(LinkInvalid):
            link_read(signing.dumps(payload, salt=PURPOSE), purpose=PURPOSE, max_age=DAY)
