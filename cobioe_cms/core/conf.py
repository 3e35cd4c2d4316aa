"""The extension's settings, in one place, with their defaults.

Every ``COBIOE_*`` setting the apps read is listed in :data:`DEFAULTS`. A site sets only
the ones it wants to change, in its Django settings; a site that sets none of them runs
with the defaults. Code reads them through :data:`conf`, on every access rather than at
import, so that ``override_settings`` (and tests assigning to ``settings``) take effect::

    from cobioe_cms.core.conf import conf

    conf.MAP_TILE_URL  # settings.COBIOE_MAP_TILE_URL, or its default ""

or ``cobioe_setting("MAP_TILE_URL")``. ``COBIOE_SEARCH`` is a dictionary whose missing
keys fall back to the defaults' (:func:`cobioe_cms.search.conf.search_settings` reads it).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.conf import settings


class Setting(NamedTuple):
    default: Any
    doc: str


DEFAULTS: dict[str, Setting] = {
    # Cartography (cobioe_cms.actors)
    "MAP_TILE_URL": Setting(
        "", "An online tile layer under the offline basemap of Europe ('' = none)."
    ),
    "MAP_TILE_ATTRIBUTION": Setting("", "The attribution shown with MAP_TILE_URL's tiles."),
    "EXPORTS_PER_HOUR": Setting(
        30, "Exports of the cartography (CSV, JSON, GeoJSON) per client address and hour."
    ),
    # Open-data API (cobioe_cms.core.api)
    "API_THROTTLE_RATES": Setting(
        {"burst": "60/min", "anonymous": "1000/hour"},
        "Requests to /api/v1/ per client address: 'burst' (a short window) and "
        "'anonymous' (the hourly budget), as DRF rates ('60/min'); counted in the "
        "default cache, shared by the workers.",
    ),
    # Security headers (cobioe_cms.core.security)
    "CSP_REPORT_ONLY": Setting(
        False, "Send Content-Security-Policy-Report-Only instead of enforcing the policy."
    ),
    "CSP_EXEMPT_PATHS": Setting(
        ("/admin/",), "Path prefixes left without the policy (the Wagtail admin's)."
    ),
    # Members (cobioe_cms.members)
    "PRIVATE_MEDIA_ROOT": Setting(
        "", "Folder of files never served (logos under review); '' = MEDIA_ROOT + '-private'."
    ),
    "PRIVACY_POLICY_VERSION": Setting(
        "2026-11", "The version of the privacy policy members consent to at sign-up."
    ),
    "MFA_REQUIRED_FOR_STAFF": Setting(
        False, "Anyone with admin access must turn on an authenticator app first."
    ),
    # Search cluster (cobioe_cms.search)
    "SEARCH": Setting(
        {
            "URL": "",
            "ENGINE": "opensearch",
            "INDEX_PREFIX": "cobioe",
            "TIMEOUT": 2,
            "RETRY_AFTER": 30,
        },
        "The search cluster: URL ('' = the database answers everything), ENGINE "
        "('opensearch' or 'elasticsearch'), INDEX_PREFIX, TIMEOUT and RETRY_AFTER (s).",
    ),
    # Economic watch (cobioe_cms.watch)
    "WATCH_MATCHER": Setting(
        "", "Dotted path of the matcher class; '' = the percolator with a cluster, else SQL."
    ),
    "WATCH_PERCOLATE_TIMEOUT": Setting(
        120.0, "Seconds a percolation request of a digest batch may take."
    ),
    "WATCH_ALLOW_PRIVATE_SOURCES": Setting(
        False, "Allow watch sources on localhost or a private network (SSRF guard off)."
    ),
    "WATCH_FETCH_CONCURRENCY": Setting(4, "How many watch sources are downloaded at once."),
    "WATCH_CONNECT_TIMEOUT": Setting(5.0, "Seconds to connect to a watch source."),
    "WATCH_READ_TIMEOUT": Setting(10.0, "Seconds to wait for each read from a watch source."),
    "WATCH_FETCH_DEADLINE": Setting(30.0, "Seconds one download may take in all."),
    "WATCH_MAX_FEED_BYTES": Setting(5 * 1024 * 1024, "Largest feed downloaded, in bytes."),
    "WATCH_MAX_REDIRECTS": Setting(5, "Redirects followed per download."),
    # Discussions of the working groups (cobioe_cms.community)
    "COMMUNITY_EDIT_WINDOW_MINUTES": Setting(
        30, "Minutes during which the author of a thread or a reply may edit it."
    ),
    "COMMUNITY_POSTS_PER_HOUR": Setting(
        30, "Threads and replies one member may post per hour (across workers)."
    ),
    "COMMUNITY_THREADS_PER_DAY": Setting(10, "Threads one member may start per day."),
    "COMMUNITY_MAX_LINKS": Setting(5, "Links a thread or a reply may hold."),
    "COMMUNITY_NEW_ACCOUNT_DAYS": Setting(
        3, "Posts of accounts younger than this are held for a moderator, until one is approved."
    ),
    # Contact relay between members and organisations (cobioe_cms.community.relay)
    "COMMUNITY_RELAY_CONVERSATIONS_PER_DAY": Setting(
        20, "Conversations one member may start per day (across workers)."
    ),
    "COMMUNITY_RELAY_PER_ORGANISATION_PER_DAY": Setting(
        3, "Conversations one member may start with the same organisation per day."
    ),
    "COMMUNITY_RELAY_MESSAGES_PER_HOUR": Setting(
        30, "Messages (first ones and replies) one member may send through the relay per hour."
    ),
    # Open-data files (cobioe_cms.panorama.opendata)
    "OPEN_DATA_ROOT": Setting(
        "", "Folder of the bulk open-data files (actors.csv...); '' = MEDIA_ROOT/opendata."
    ),
    "OPEN_DATA_LICENCE": Setting(
        "Open Licence 2.0 / Licence Ouverte 2.0 (Etalab)",
        "The licence of the open data (API and bulk files), as shown to re-users.",
    ),
    "OPEN_DATA_LICENCE_URL": Setting(
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        "The web address of OPEN_DATA_LICENCE's text.",
    ),
}


def cobioe_setting(name: str) -> Any:
    """``settings.COBIOE_<name>``, or its default when the site does not set it."""
    try:
        default = DEFAULTS[name].default
    except KeyError:
        raise AttributeError(f"COBIOE_{name} is not a setting of the extension") from None
    return getattr(settings, f"COBIOE_{name}", default)


class _Conf:
    """``conf.NAME`` reads ``settings.COBIOE_NAME`` with its default (see DEFAULTS)."""

    def __getattr__(self, name: str) -> Any:
        return cobioe_setting(name)

    def __dir__(self):
        return list(DEFAULTS)


conf = _Conf()
