import datetime
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.models import Modality, TherapeuticArea, ValueChainStage
from cobioe_cms.core.text import fold
from cobioe_cms.search.tasks import schedule_sync

from ...installed import require_app

DEMO_URL = "https://demo-watch.invalid/feed"
SUBJECTS = (
    "expands {modality} capacity",
    "opens a pilot line for {modality}",
    "signs a tech-transfer deal on {modality}",
    "trains operators in {modality} manufacturing",
    "raises funds for {modality} in {area}",
)


class Command(BaseCommand):
    help = (
        "Demo content for the economic watch: an inactive synthetic source with items "
        "(clearly labelled), and interests for the demo member. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=60)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        require_app("cobioe_cms.watch")
        from cobioe_cms.watch.models import InterestProfile, Source

        source, created = Source.objects.get_or_create(
            url=DEMO_URL,
            defaults={"name": "Demo feed (synthetic items)", "active": False},
        )
        if not created and source.items.exists():
            self.stdout.write("Demo watch items: already loaded.")
        else:
            rnd = random.Random(options["seed"])  # noqa: S311 - demo data, not security
            self._items(source, options["count"], rnd)
        member = get_user_model().objects.filter(email="member@example.org").first()
        if member is not None:
            profile, _ = InterestProfile.objects.get_or_create(user=member)
            if not profile.modalities.exists():
                profile.modalities.set(
                    Modality.objects.filter(slug__in=["vaccines", "mrna-nucleic-acids"])
                )
                profile.stages.set(ValueChainStage.objects.filter(slug="production"))
            self.stdout.write("Demo member's interests: vaccines, mRNA, production.")

    def _items(self, source, count, rnd):
        from cobioe_cms.watch.models import WatchItem
        from cobioe_cms.watch.search_documents import ITEMS_INDEX

        modalities = list(Modality.objects.all())
        areas = list(TherapeuticArea.objects.all())
        stages = list(ValueChainStage.objects.filter(parent__isnull=True))
        actors = list(ActorPage.objects.live().filter(is_demo=True).order_by("path")[:200])
        now = timezone.now()
        created = []
        for n in range(count):
            actor = rnd.choice(actors) if actors else None
            modality, area = rnd.choice(modalities), rnd.choice(areas)
            subject = rnd.choice(SUBJECTS).format(
                modality=modality.name.lower(), area=area.name.lower()
            )
            title = f"{actor.title if actor else 'A European CDMO'} {subject}"
            summary = "Demo item (synthetic): generated to show the watch; no real event."
            item = WatchItem.objects.create(
                source=source,
                title=title,
                url=f"{DEMO_URL}/item-{n}",
                summary=summary,
                language="en",
                published_at=now - datetime.timedelta(hours=rnd.randint(1, 24 * 40)),
                title_key=fold(title)[:300],
                keywords_text=fold(f"{title} {summary}"),
                countries=[str(actor.country)] if actor else [],
            )
            item.modalities.set([modality])
            item.therapeutic_areas.set([area])
            item.stages.set([rnd.choice(stages)])
            if actor:
                item.actors.set([actor])
            created.append(item.pk)
        # As ingestion does: the cluster's items index, when there is one, after commit.
        schedule_sync(ITEMS_INDEX, created)
        source.items_fetched = count
        source.save(update_fields=["items_fetched"])
        self.stdout.write(f"Demo watch items: {count} generated.")
