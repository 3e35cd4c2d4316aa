"""A stand-in for one worker process of the site, for tests/core/test_limits.py.

Run as ``python tests/core/cache_worker.py ACTION KEY ATTEMPTS`` with the development
settings, whose cache is the one the base settings configure for every environment
(the database cache, or Redis when REDIS_URL is set). Prints one JSON list: the answer
of each attempt. ACTION is ``allow`` (cobioe_cms.core.ratelimit.allow, limit 5 per
hour), ``login_failed`` (allauth's own limit on failed logins, counted for KEY as the
e-mail address), ``trip`` / ``breaker`` (record a search-cluster fault / is the
search circuit breaker open?) or ``migrate`` (make the database, as a deploy does).
"""

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "site"), str(REPO)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cobioe_site.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory  # noqa: E402


def main(action: str, key: str, attempts: int) -> list[bool]:
    if action == "migrate":
        call_command("migrate", interactive=False, verbosity=0)
        return []
    if action == "trip":  # a cluster fault seen by this worker
        from cobioe_cms.search.service import record_fault

        record_fault("a test", OSError("connection refused"))
        return []
    if action == "breaker":  # does this worker send searches to the database?
        from cobioe_cms.search.service import breaker_open

        return [breaker_open()]
    if action == "allow":
        from cobioe_cms.core.ratelimit import allow

        return [allow(key, 5, 3600) for _ in range(attempts)]
    from allauth.core import ratelimit

    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.7")
    return [ratelimit.consume(request, action="login_failed", key=key) for _ in range(attempts)]


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], int(sys.argv[3]))))  # noqa: T201
