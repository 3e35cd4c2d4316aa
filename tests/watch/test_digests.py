"""E-mail digests: content and grouping, only what is new, once per period even after
a crash, one-click unsubscribe, alerts on saved cartography searches."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from cobioe_cms.core.models import Modality, ValueChainStage
from cobioe_cms.watch import digests
from cobioe_cms.watch.digests import send_digests, unsubscribe_token
from cobioe_cms.watch.models import DigestDelivery, InterestProfile, SavedSearch
from tests.factories import ActorPageFactory, MemberFactory, WatchItemFactory

NOW = timezone.now()


def subscriber(name: str, frequency="daily", modalities=("vaccines",), stages=()):
    user = MemberFactory(username=name, email=f"{name}@example.org")
    profile = InterestProfile.objects.create(
        user=user, digest=frequency, digest_opt_in_at=NOW - datetime.timedelta(days=2)
    )
    profile.modalities.set(Modality.objects.filter(slug__in=modalities))
    profile.stages.set(ValueChainStage.objects.filter(slug__in=stages))
    return profile


@pytest.mark.django_db
def test_digest_content_grouping_and_headers():
    profile = subscriber("ana", stages=["production"])
    WatchItemFactory(title="Vaccine <b>plant</b> & co", modalities=["vaccines"])
    WatchItemFactory(title="New GMP line", stages=["production"])
    WatchItemFactory(title="Unrelated", modalities=["peptides"])
    InterestProfile.objects.create(
        user=User.objects.create_user("nobody", "n@example.org", "x-long-pass"), digest="none"
    )
    stats = send_digests("daily")
    assert stats["sent"] == 1
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "2 new items" in message.subject
    assert "== Production / manufacturing ==" in message.body
    assert "== Vaccines ==" in message.body
    assert "Unrelated" not in message.body
    html = message.alternatives[0][0]
    assert "Vaccine &lt;b&gt;plant&lt;/b&gt; &amp; co" in html
    token = unsubscribe_token(profile.user_id)
    assert message.extra_headers["List-Unsubscribe"].endswith(f"/watch/unsubscribe/{token}/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_only_new_items_and_no_empty_digest():
    profile = subscriber("ben")
    WatchItemFactory(
        title="Old vaccine news",
        modalities=["vaccines"],
        fetched_at=NOW - datetime.timedelta(days=5),
    )
    send_digests("daily")
    assert mail.outbox == []  # nothing new since opting in: no e-mail
    WatchItemFactory(title="Fresh vaccine news", modalities=["vaccines"])
    send_digests("daily", now=timezone.now() + datetime.timedelta(days=1))
    (message,) = mail.outbox
    assert "Fresh vaccine news" in message.body and "Old vaccine news" not in message.body
    profile.refresh_from_db()
    assert profile.last_digest_at is not None


@pytest.mark.django_db
def test_a_crashed_run_restarted_sends_each_member_exactly_once(monkeypatch):
    for n in range(5):
        subscriber(f"reader{n}")
    WatchItemFactory(title="Vaccine news", modalities=["vaccines"])
    real_send = digests.send_digest
    calls = {"n": 0}

    def crash_on_third(profile, content, frequency):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the process dies half-way
        return real_send(profile, content, frequency)

    monkeypatch.setattr(digests, "send_digest", crash_on_third)
    run_at = timezone.now()
    with pytest.raises(KeyboardInterrupt):
        send_digests("daily", now=run_at)
    assert len(mail.outbox) == 2
    monkeypatch.setattr(digests, "send_digest", real_send)
    stats = send_digests("daily", now=run_at)  # the restart, same period
    assert stats == {"sent": 3, "empty": 0, "skipped": 2, "failed": 0}
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(f"reader{n}@example.org" for n in range(5))
    assert DigestDelivery.objects.filter(sent_at__isnull=False).count() == 5


@pytest.mark.django_db
def test_one_failing_member_does_not_stop_the_others(monkeypatch, caplog):
    for n in range(3):
        subscriber(f"reader{n}")
    WatchItemFactory(title="Vaccine news", modalities=["vaccines"])
    real_send = digests.send_digest

    def fail_for_reader1(profile, content, frequency):
        if profile.user.username == "reader1":
            raise OSError("SMTP refused")
        return real_send(profile, content, frequency)

    monkeypatch.setattr(digests, "send_digest", fail_for_reader1)
    run_at = timezone.now()
    stats = send_digests("daily", now=run_at)
    assert stats["sent"] == 2 and stats["failed"] == 1
    assert "Digest for user" in caplog.text
    monkeypatch.setattr(digests, "send_digest", real_send)
    assert send_digests("daily", now=run_at)["sent"] == 1  # retried, not skipped


@pytest.mark.django_db
def test_weekly_digests_are_separate():
    subscriber("weekly-reader", frequency="weekly")
    subscriber("daily-reader", frequency="daily")
    WatchItemFactory(title="Vaccine news", modalities=["vaccines"])
    send_digests("weekly", now=timezone.now())
    assert [m.to for m in mail.outbox] == [["weekly-reader@example.org"]]
    assert DigestDelivery.objects.get().period.startswith("weekly:")


@pytest.mark.django_db
def test_unsubscribe_link_and_one_click(client):
    profile = subscriber("cleo")
    token = unsubscribe_token(profile.user_id)
    page = client.get(f"/watch/unsubscribe/{token}/")
    assert "Stop the watch digests" in page.content.decode()
    profile.refresh_from_db()
    assert profile.digest == "daily"  # a GET (e.g. a link scanner) changes nothing
    client.post(f"/watch/unsubscribe/{token}/")
    profile.refresh_from_db()
    assert profile.digest == "none"

    other = subscriber("dan")
    response = client.post(
        f"/watch/unsubscribe/{unsubscribe_token(other.user_id)}/",
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.digest == "none"
    assert client.get(f"/watch/unsubscribe/{token}x/").status_code == 404
    assert client.post(f"/watch/unsubscribe/{other.user_id}/").status_code == 404


@pytest.mark.django_db
def test_saved_search_alerts_list_new_matching_actors(cartography):
    profile = subscriber("eve", modalities=())
    search = SavedSearch.objects.create(
        user=profile.user,
        name="Portuguese actors",
        cartography=cartography,
        querystring="country=PT",
        alert=True,
    )
    SavedSearch.objects.filter(pk=search.pk).update(created_at=NOW - datetime.timedelta(days=1))
    ActorPageFactory(parent=cartography, title="Porto Cells", country="PT", city="Porto")
    ActorPageFactory(parent=cartography, title="Lyon Cells", country="FR")
    send_digests("daily", now=timezone.now())
    (message,) = mail.outbox
    assert "Portuguese actors" in message.body
    assert "Porto Cells" in message.body and "Lyon Cells" not in message.body
    send_digests("daily", now=timezone.now() + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1  # nothing new the next day


@pytest.mark.django_db
def test_send_digests_command():
    from django.core.management import call_command

    subscriber("fay")
    WatchItemFactory(title="Vaccine news", modalities=["vaccines"])
    call_command("send_digests", "daily")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_editors_news_are_in_the_digest_and_the_watch(client, cartography):
    from cobioe_cms.core.models import PortalHomePage
    from cobioe_cms.news.demo import ensure_news
    from tests.factories.news import NewsPageFactory

    profile = subscriber("gil")
    index = ensure_news(PortalHomePage.objects.get())
    NewsPageFactory(parent=index, title="Vaccine campus opens", modalities=["vaccines"])
    NewsPageFactory(parent=index, title="Peptide news", modalities=["peptides"])
    NewsPageFactory(parent=index, title="Draft vaccine news", modalities=["vaccines"], live=False)
    send_digests("daily", now=timezone.now())
    (message,) = mail.outbox
    assert "== News from the editors ==" in message.body
    assert "Vaccine campus opens" in message.body
    assert "Peptide news" not in message.body and "Draft vaccine news" not in message.body
    client.force_login(profile.user)
    html = client.get("/watch/").content.decode()
    assert "Vaccine campus opens" in html and "Draft vaccine news" not in html
