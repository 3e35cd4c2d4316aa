"""Issue 9, item 5: limits hold for the site, not per worker; the client address comes
from a proxy header only when a setting says the proxy is trusted; allauth's limits are
configured under names allauth reads.

The worker tests start real separate processes (tests/core/cache_worker.py) on the
cache the settings configure for every environment: the database cache, and Redis
when REDIS_URL is set. A per-process cache would let each of them count alone.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from cobioe_cms.core.ratelimit import client_ip

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("cache_worker.py")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def run_worker(env: dict, action: str, key: str, attempts: int) -> list[bool]:
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(WORKER), action, key, str(attempts)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def worker_env(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "cobioe_site.settings.dev"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def migrated_site(tmp_path_factory) -> Path:
    """A site database made by ``manage.py migrate`` alone, as a deploy makes it."""
    folder = tmp_path_factory.mktemp("site")
    run_worker(worker_env(folder), "migrate", "-", 0)
    return folder / "site.sqlite3"


def test_migrate_creates_the_database_cache_table(migrated_site):
    with sqlite3.connect(migrated_site) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "cobioe_cache" in tables


@pytest.fixture
def database_cache_site(migrated_site, tmp_path):
    """A site whose workers share nothing but their database (the default)."""
    shutil.copy(migrated_site, tmp_path / "site.sqlite3")
    return worker_env(tmp_path)


@pytest.fixture
def redis_site(tmp_path):
    """A site with REDIS_URL set, on a redis-server of its own (a Unix socket)."""
    if not os.access(REDIS_SERVER, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail("CI must install redis-server (.ci/run)")
        pytest.skip("redis-server is not installed")
    sock = tmp_path / "redis.sock"
    server = subprocess.Popen(  # noqa: S603
        [
            REDIS_SERVER,
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if sock.exists():
                break
            time.sleep(0.05)
        assert sock.exists(), "redis-server did not start"
        yield worker_env(tmp_path, REDIS_URL=f"unix://{sock}")
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(params=["database_cache_site", "redis_site"])
def shared_site(request):
    return request.getfixturevalue(request.param)


def test_a_limit_holds_across_worker_processes(shared_site):
    # Limit 5 per hour: three attempts in one worker, three in another.
    first = run_worker(shared_site, "allow", "claim:42", 3)
    second = run_worker(shared_site, "allow", "claim:42", 3)

    assert first == [True, True, True]
    assert second == [True, True, False]
    assert run_worker(shared_site, "allow", "claim:43", 1) == [True]  # other keys unaffected


def test_workers_at_the_same_time_never_get_more_than_the_limit(shared_site):
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: run_worker(shared_site, "allow", "burst", 5), range(4)))

    allowed = sum(sum(answer) for answer in answers)
    assert 1 <= allowed <= 5, answers
    if "REDIS_URL" in shared_site:
        assert allowed == 5, answers  # atomic everywhere: none lost either


def test_allauth_login_lockout_holds_across_worker_processes(shared_site):
    # ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 5 minutes per address and per account.
    first = run_worker(shared_site, "login_failed", "victim@example.org", 3)
    second = run_worker(shared_site, "login_failed", "victim@example.org", 3)

    assert first == [True, True, True]
    assert second == [True, True, False]


def test_the_search_circuit_breaker_holds_across_worker_processes(shared_site):
    site = {**shared_site, "COBIOE_SEARCH_URL": "http://127.0.0.1:9"}
    assert run_worker(site, "breaker", "-", 0) == [False]
    run_worker(site, "trip", "-", 0)  # one worker sees the cluster fail...
    assert run_worker(site, "breaker", "-", 0) == [True]  # ...another one knows


def test_production_settings_share_the_cache_and_trust_proxies_only_by_setting(tmp_path):
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CACHES['default']['BACKEND'], s.ALLAUTH_TRUSTED_PROXY_COUNT, "
        "s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER]))"
    )
    variants = {
        "default": {},
        "redis": {"REDIS_URL": "redis://127.0.0.1:1/0"},
        "proxies": {"COBIOE_TRUSTED_PROXY_COUNT": "1"},
        "header": {"COBIOE_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
    }
    seen = {}
    for name, extra in variants.items():
        env = worker_env(
            tmp_path,
            DJANGO_SETTINGS_MODULE="cobioe_site.settings.production",
            SECRET_KEY="x" * 60,
            ALLOWED_HOSTS="cobioe.example.org",
            WAGTAILADMIN_BASE_URL="https://cobioe.example.org",
            PYTHONPATH=f"{REPO / 'site'}:{REPO}",
            **extra,
        )
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        seen[name] = json.loads(result.stdout.strip().splitlines()[-1])

    database = "django.core.cache.backends.db.DatabaseCache"
    assert seen == {
        "default": [database, 0, None],  # REMOTE_ADDR only: forwarded headers ignored
        "redis": ["django_redis.cache.RedisCache", 0, None],
        "proxies": [database, 1, None],
        "header": [database, 0, "X-Real-IP"],
    }


# -- the client's address ------------------------------------------------------------

PROXY = "10.0.0.1"


def login_attempt(client, email: str, forwarded_for: str | None = None):
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        "/accounts/login/", {"login": email, "password": "wrong-password-1"}, **headers
    )


def locked_out(response) -> bool:
    return (
        response.status_code == 429 or "Too many failed login attempts" in response.content.decode()
    )


@pytest.mark.usefixtures("shared_db_cache")
@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_two_clients_are_limited_separately(client):
    # Six different accounts, so that only the per-address limit can lock anyone out.
    answers = [login_attempt(client, f"a{n}@example.org", "198.51.100.1") for n in range(6)]
    assert not any(locked_out(r) for r in answers[:5])
    assert locked_out(answers[5])

    # Another client behind the same proxy is not locked out by the first one.
    other = login_attempt(client, "b@example.org", "203.0.113.9")
    assert not locked_out(other)
    assert other.status_code == 200


@pytest.mark.usefixtures("shared_db_cache")
def test_without_the_setting_a_forged_forwarded_header_changes_nothing(client):
    answers = [login_attempt(client, f"a{n}@example.org", f"198.51.100.{n}") for n in range(6)]
    assert not any(locked_out(r) for r in answers[:5])
    assert locked_out(answers[5])  # a new X-Forwarded-For each time did not help


def test_client_ip_follows_the_same_settings_as_allauth():
    from allauth.account.adapter import get_adapter

    factory = RequestFactory()
    cases = [
        ({}, {}, "192.0.2.1"),
        ({}, {"HTTP_X_FORWARDED_FOR": "6.6.6.6"}, "192.0.2.1"),
        (
            {"ALLAUTH_TRUSTED_PROXY_COUNT": 1},
            {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 7.7.7.7"},
            "7.7.7.7",
        ),
        (
            {"ALLAUTH_TRUSTED_PROXY_COUNT": 2},
            {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 7.7.7.7"},
            "6.6.6.6",
        ),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": 1}, {}, "192.0.2.1"),
        (
            {"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
            {"HTTP_X_REAL_IP": "8.8.4.4"},
            "8.8.4.4",
        ),
    ]
    for overrides, headers, expected in cases:
        request = factory.get("/", REMOTE_ADDR="192.0.2.1", **headers)
        with override_settings(**overrides):
            assert client_ip(request) == expected, (overrides, headers)
            assert get_adapter().get_client_ip(request) == expected, (overrides, headers)


def test_client_ip_is_never_a_crash():
    factory = RequestFactory()
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=2):
        # Fewer entries than trusted proxies: the request did not come through them.
        assert client_ip(factory.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6")) == "127.0.0.1"
    with override_settings(ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP"):
        garbage = client_ip(factory.get("/", HTTP_X_REAL_IP="not an address"))
        assert garbage.startswith("unknown-") and " " not in garbage
    v6 = client_ip(factory.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6"))
    assert v6 == "2001:db8:1:2::"


def test_every_configured_allauth_rate_limit_is_one_allauth_reads():
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import parse_rates

    with override_settings(ACCOUNT_RATE_LIMITS={}):
        known = set(app_settings.RATE_LIMITS)
    configured = settings.ACCOUNT_RATE_LIMITS
    assert set(configured) <= known, set(configured) - known
    for action, rates in configured.items():
        assert parse_rates(rates), action
        # What allauth will apply is what we configured.
        assert app_settings.RATE_LIMITS[action] == rates


def test_the_rate_limit_on_e_mail_changes_is_applied(db, client, django_user_model):
    """The former key ``change_email`` was silently ignored: allauth calls the action
    ``manage_email``. Six additions of an address within the hour: the sixth refused."""
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user("m", "m@example.org", "pw-long-enough-1")
    EmailAddress.objects.create(user=user, email="m@example.org", verified=True, primary=True)
    client.force_login(user)
    statuses = [
        client.post(
            "/accounts/email/", {"action_add": "", "email": f"n{n}@example.org"}
        ).status_code
        for n in range(6)
    ]
    assert 429 not in statuses[:5], statuses
    assert statuses[5] == 429


@pytest.mark.usefixtures("shared_db_cache")
@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=2)
def test_a_request_that_skipped_the_proxies_is_no_server_error(client):
    """allauth's own reading of X-Forwarded-For raises (a 500) when the header has fewer
    entries than trusted proxies; the site's adapter counts such a request per
    REMOTE_ADDR instead, for the login form as for the platform's limits."""
    answers = [login_attempt(client, f"a{n}@example.org", "6.6.6.6") for n in range(6)]
    assert [r.status_code for r in answers[:5]] == [200] * 5
    assert locked_out(answers[5])  # counted per REMOTE_ADDR, the proxy's address
