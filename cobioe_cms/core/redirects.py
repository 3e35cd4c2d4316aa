"""Redirects to a target the client chose (a ``next`` field or parameter).

Every such redirect goes through :func:`safe_redirect`. Django's ``redirect()`` is not
the tool for it: it reads a bare word (``NaN``, ``true``) as a view name and answers
500 when no view has that name, and it follows any URL it is given off-site.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 2000


def safe_local_path(target: object) -> str | None:
    """``target`` if it is a path on this site, else None.

    Accepted: a string starting with one "/" and no second "/" or "\\" after it (which
    browsers read as another host), no backslash anywhere, no control character or
    space, at most MAX_LENGTH characters, and which Django's
    ``url_has_allowed_host_and_scheme`` takes as local (no scheme, no host).
    """
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return None
    if not target.startswith("/") or target[1:2] in {"/", "\\"}:
        return None
    if "\\" in target or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in target):
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=set(), require_https=True):
        return None
    return target


def safe_redirect(target: object, fallback: str) -> HttpResponseRedirect:
    """A redirect to ``target`` when it is a local path (:func:`safe_local_path`), else
    to ``fallback``, a URL the code itself built (a page's URL, a reversed route)."""
    return HttpResponseRedirect(safe_local_path(target) or fallback or "/")
