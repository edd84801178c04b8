"""Password guessing on the admin login is stopped by django-axes.

The rest of the suite logs in without a request, which axes refuses, so it is
off under tests (AXES_ENABLED) and switched on here. Axes reads its settings
from django.conf.settings on every call, so override_settings reaches its
backend, signal handlers and middleware alike. Logins go through the real
login page and the whole middleware stack.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory, override_settings

from newsroom.middleware import client_ip_address

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("login_protection")]

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.7"
NEWSROOM = "198.51.100.20"


# Every attempt hashes a password; the production hasher would make this module slow.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login_protection():
    with override_settings(
        AXES_ENABLED=True,
        AXES_FAILURE_LIMIT=5,
        AXES_COOLOFF_TIME=1.0,
        PASSWORD_HASHERS=FAST_HASHERS,
    ):
        yield


@pytest.fixture
def editor(login_protection):
    return User.objects.create_superuser("editor", "editor@example.com", PASSWORD)


def log_in(username, password, address, client=None, **headers):
    client = client or Client()
    response = client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )
    return client, response


def is_logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_a_wrong_password_is_refused_with_the_usual_message(editor):
    client, response = log_in("editor", "guess", ATTACKER)

    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    assert not is_logged_in(client)


def test_five_wrong_passwords_lock_the_login_even_against_the_right_one(editor):
    for attempt in range(1, 5):
        _, response = log_in("editor", f"guess {attempt}", ATTACKER)
        assert response.status_code == 200, f"locked out after only {attempt} failures"

    _, fifth = log_in("editor", "guess 5", ATTACKER)
    client, right_password = log_in("editor", PASSWORD, ATTACKER)

    assert fifth.status_code == 429
    assert right_password.status_code == 429
    page = right_password.content.decode()
    assert "Too many failed logins" in page
    assert "entered wrongly 5 times" in page
    assert "Try again in an hour" in page
    assert right_password["Retry-After"] == "3600"
    assert not is_logged_in(client)


def test_the_lock_holds_only_that_username_from_that_address(editor):
    User.objects.create_superuser("desk", "desk@example.com", PASSWORD)
    for attempt in range(5):
        log_in("editor", f"guess {attempt}", ATTACKER)

    same_user_elsewhere, response = log_in("editor", PASSWORD, NEWSROOM)
    assert response.status_code == 302
    assert is_logged_in(same_user_elsewhere)

    other_user_same_address, response = log_in("desk", PASSWORD, ATTACKER)
    assert response.status_code == 302
    assert is_logged_in(other_user_same_address)


def test_a_successful_login_starts_the_count_again(editor):
    for attempt in range(4):
        log_in("editor", f"guess {attempt}", NEWSROOM)
    _, response = log_in("editor", PASSWORD, NEWSROOM)
    assert response.status_code == 302

    for attempt in range(4):
        _, response = log_in("editor", f"typo {attempt}", NEWSROOM)
        assert response.status_code == 200


def test_a_forged_forwarded_for_header_does_not_dodge_the_lock(editor):
    for attempt in range(5):
        log_in("editor", f"guess {attempt}", ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}")

    _, response = log_in("editor", PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


def test_the_lockout_page_is_never_cached(editor):
    for attempt in range(5):
        _, response = log_in("editor", f"guess {attempt}", ATTACKER)

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "10.0.0.1", "192.0.2.1"),  # no proxy trusted: the header is the client's word
        (1, "10.0.0.1", "10.0.0.1"),
        (1, "6.6.6.6, 10.0.0.1", "10.0.0.1"),  # the leftmost entry was forged
        (2, "6.6.6.6, 10.0.0.1, 172.16.0.2", "10.0.0.1"),
        (2, "172.16.0.2", "192.0.2.1"),  # too short: it did not come through the proxies
        (1, "", "192.0.2.1"),
    ],
)
def test_the_client_address_is_read_only_from_trusted_proxies(proxies, forwarded_for, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded_for)

    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip_address(request) == expected


def test_behind_a_proxy_each_reader_is_counted_by_their_own_address(editor):
    with override_settings(TRUSTED_PROXY_COUNT=1):
        for attempt in range(5):
            log_in("editor", f"guess {attempt}", "10.1.1.1", HTTP_X_FORWARDED_FOR=ATTACKER)

        _, attacker = log_in("editor", PASSWORD, "10.1.1.1", HTTP_X_FORWARDED_FOR=ATTACKER)
        _, newsroom = log_in("editor", PASSWORD, "10.1.1.1", HTTP_X_FORWARDED_FOR=NEWSROOM)

    assert attacker.status_code == 429
    assert newsroom.status_code == 302
