"""Production settings, checked as production runs them: in a process of their own.

Settings give tests development defaults when pytest is loaded, so the
production checks run `manage.py` and a small client script in a subprocess
with the environment a deployment sets (DEBUG=0, a SECRET_KEY, the host name),
on a database and static files of their own under a temporary folder.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOST = "news.example.com"

# Variables a developer or CI may have exported that would change what is checked.
UNSET = (
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "AXES_ENABLED",
    "REDIS_URL",
    "CACHE_MIDDLEWARE_SECONDS",
)

# Requests a reader and an editor make, answered by the production settings.
CLIENT_SCRIPT = r"""
import json, sys
import django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

call_command("loaddata", "stories", verbosity=0)
User.objects.create_superuser("editor", "editor@example.com", "a long production passphrase")
host = sys.argv[1]

def seen(response):
    cookies = {
        name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
               "samesite": morsel["samesite"]}
        for name, morsel in response.cookies.items()
    }
    return {"status": response.status_code, "headers": dict(response.items()), "cookies": cookies,
            "body": response.content.decode(errors="replace")}

reader, editor = Client(HTTP_HOST=host), Client(HTTP_HOST=host)
story = "/articles/us-lifts-sanctions-on-chinese-institute-to-seek-fentanyl-cooperation/"
pages = {
    "front": reader.get("/", secure=True),
    "story": reader.get(story, secure=True),
    "plain-http": reader.get(story),
    "healthz-plain-http": reader.get("/healthz"),
    "login-form": editor.get("/admin/login/", secure=True),
}
pages["login"] = editor.post(
    "/admin/login/?next=/admin/",
    {"username": "editor", "password": "a long production passphrase"},
    secure=True,
)
pages["admin-story-list"] = editor.get("/admin/articles/article/", secure=True)
print(json.dumps({name: seen(response) for name, response in pages.items()}))
"""


def production_environment(folder: Path, **overrides) -> dict:
    env = {name: value for name, value in os.environ.items() if name not in UNSET}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{folder / 'production.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        PYTHONPATH=str(ROOT),
        **overrides,
    )
    return env


def manage(env, *arguments) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """What a reader and an editor get from a migrated production site with the seed stories."""
    folder = tmp_path_factory.mktemp("production")
    env = production_environment(folder)
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        finished = manage(env, *step, "-v", "0")
        assert finished.returncode == 0, finished.stderr
    finished = subprocess.run(
        [sys.executable, "-c", CLIENT_SCRIPT, HOST],
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout.strip().splitlines()[-1])


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_the_deployment_check_finds_nothing(tmp_path):
    # Several server processes share one cache in production, hence REDIS_URL
    # (the check does not connect to it).
    env = production_environment(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")

    finished = manage(env, "check", "--deploy", "--fail-level", "DEBUG")

    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "System check identified no issues" in finished.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_environment(tmp_path)
    del env["SECRET_KEY"]

    finished = manage(env, "check")

    assert finished.returncode != 0
    assert "SECRET_KEY is not set" in finished.stderr


@pytest.mark.parametrize("page", ["front", "story", "login-form", "admin-story-list"])
def test_every_answer_carries_the_protective_headers(production, page):
    headers = production[page]["headers"]

    assert production[page]["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]


@pytest.mark.parametrize("page", ["front", "story"])
def test_public_pages_get_a_strict_content_security_policy(production, page):
    policy = csp_directives(production[page]["headers"]["Content-Security-Policy"])

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in production[page]["headers"]["Content-Security-Policy"]
    assert "'unsafe-eval'" not in production[page]["headers"]["Content-Security-Policy"]


def test_the_admin_may_use_inline_styles_but_never_inline_scripts(production):
    policy = csp_directives(production["admin-story-list"]["headers"]["Content-Security-Policy"])

    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]


def test_plain_http_is_sent_to_https_except_the_health_check(production):
    assert production["plain-http"]["status"] == 301
    assert production["plain-http"]["headers"]["Location"].startswith(f"https://{HOST}/")
    assert production["healthz-plain-http"]["status"] == 200


def test_cookies_are_secure_and_out_of_reach_of_scripts(production):
    csrf = production["login-form"]["cookies"]["csrftoken"]
    session = production["login"]["cookies"]["sessionid"]

    assert production["login"]["status"] == 302
    for cookie in (csrf, session):
        assert cookie["secure"]
        assert cookie["httponly"]
    assert session["samesite"] == "Lax"


def test_the_editor_logged_in_through_login_protection(production):
    # Production has django-axes on; a login through the real form still works.
    assert production["admin-story-list"]["status"] == 200
    assert "US Lifts Sanctions" in production["admin-story-list"]["body"]
