"""Signing in to the admin: after five wrong passwords a username is locked out from that address
for 15 minutes, the sign-in page says so in plain words, and an editor can lift the lock."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from casetracker.roles import EDITOR, RESEARCHER
from tests import factories

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rita(db):
    return factories.UserFactory(username="rita", is_staff=True)


def sign_in(client, username, password, **headers):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, headers=headers
    )


def signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def assert_locked_out(response, username="rita", minutes=15):
    assert response.status_code == 429
    html = response.content.decode()
    assert 'id="login-form"' in html  # the sign-in page, not a bare error
    assert f"Too many wrong passwords for “{username}” from your address" in html
    assert f"signing in with this username from here is paused for {minutes} minutes" in html
    assert "ask an editor or an administrator to lift the lock" in html
    assert "Please enter the correct username and password" not in html
    assert (minutes - 1) * 60 < int(response["Retry-After"]) <= minutes * 60


def test_twenty_wrong_passwords_then_the_right_one_is_locked_out(client, rita):
    answers = [sign_in(client, "rita", f"wrong {n}") for n in range(20)]

    assert [answer.status_code for answer in answers[:4]] == [200] * 4
    assert "Please enter the correct username and password" in answers[3].content.decode()
    for answer in answers[4:]:
        assert_locked_out(answer)
    right = sign_in(client, "rita", PASSWORD)
    assert_locked_out(right)
    assert not signed_in(client)


def test_the_page_says_how_long_is_left(client, rita):
    for n in range(5):
        sign_in(client, "rita", f"wrong {n}")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=10))

    assert_locked_out(sign_in(client, "rita", PASSWORD), minutes=5)


def test_another_username_from_the_same_address_is_not_locked(client, rita):
    factories.UserFactory(username="eduardo", is_staff=True)
    for n in range(20):
        sign_in(client, "rita", f"wrong {n}")

    response = sign_in(client, "eduardo", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_after_the_cool_off_the_right_password_works(client, rita):
    for n in range(20):
        sign_in(client, "rita", f"wrong {n}")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))

    response = sign_in(client, "rita", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_a_forwarded_for_header_does_not_make_a_new_client_without_proxies(client, rita):
    for n in range(5):
        sign_in(client, "rita", f"wrong {n}", X_FORWARDED_FOR=f"198.51.100.{n}")

    assert_locked_out(sign_in(client, "rita", PASSWORD, X_FORWARDED_FOR="198.51.100.99"))


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(client, rita, settings):
    settings.TRUSTED_PROXIES = 1
    for n in range(5):  # what the client writes itself, on the left, changes nothing
        sign_in(client, "rita", f"wrong {n}", X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7")

    assert_locked_out(sign_in(client, "rita", PASSWORD, X_FORWARDED_FOR="203.0.113.7"))
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    other_client = sign_in(client, "rita", PASSWORD, X_FORWARDED_FOR="203.0.113.8")
    assert other_client.status_code == 302


def test_an_editor_lifts_a_lock_and_a_researcher_cannot(client, rita):
    for n in range(5):
        sign_in(client, "rita", f"wrong {n}")
    attempt = AccessAttempt.objects.get()
    researcher = factories.UserFactory(username="rosa", is_staff=True)
    researcher.groups.add(Group.objects.get(name=RESEARCHER))
    editor = factories.UserFactory(username="eduardo", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    page = f"/admin/axes/accessattempt/{attempt.pk}/delete/"

    client.force_login(researcher)
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    assert client.post(page, {"post": "yes"}).status_code == 403
    client.force_login(editor)
    listed = client.get("/admin/axes/accessattempt/")
    assert listed.status_code == 200
    assert "rita" in listed.content.decode()
    assert client.post(page, {"post": "yes"}).status_code == 302
    client.logout()

    assert sign_in(client, "rita", PASSWORD).status_code == 302


def test_requests_other_than_signing_in_read_nothing_of_the_sign_in_records(client, rita):
    client.force_login(rita)
    with CaptureQueriesContext(connection) as admin_page:
        assert client.get("/admin/").status_code == 200
    with CaptureQueriesContext(connection) as public_page:
        assert client.get("/cases/").status_code == 200

    for query in [*admin_page.captured_queries, *public_page.captured_queries]:
        assert "axes_" not in query["sql"]
