"""Admin views of the duplicate finder: pairs of existing actors that are probably the
same organisation, and the merge of one into the other.

Finding the pairs compares every actor with its candidates (under a second for 10,000
actors); the list is cached under a fingerprint of the actors (how many, the newest,
the latest revision), so any edit, import or merge computes it afresh.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.admin import messages

from cobioe_cms.actors.duplicates.finder import duplicate_pairs
from cobioe_cms.actors.duplicates.merge import merge_actors, preview_merge
from cobioe_cms.actors.duplicates.profiles import existing_entities
from cobioe_cms.actors.models import ActorPage
from cobioe_cms.actors.signals import actors_merge_preview
from cobioe_cms.core.countries import country_name

from .views import editor_required

CACHE_SECONDS = 3600
PER_PAGE = 50
COMPARED_FIELDS = (
    "acronym", "organisation_type", "website", "contact_email", "city", "country",
    "summary", "year_founded", "size_band",
)  # fmt: skip


def cached_pairs() -> list[tuple[int, int, int, list[str]]]:
    """(score, actor id, actor id, reasons) of every likely duplicate pair, best first.

    Only profiles an editor has published take part: a member's draft that no editor
    has reviewed could otherwise be merged into a real profile, and hand it to them."""
    state = ActorPage.objects.filter(
        merged_into__isnull=True, first_published_at__isnull=False
    ).aggregate(
        count=Count("pk"),
        top=Max("pk"),
        edited=Max("latest_revision_created_at"),
        published=Max("last_published_at"),
    )
    stamps = ":".join(
        str(state[name].timestamp() if state[name] else 0) for name in ("edited", "published")
    )
    key = f"cobioe_actors:duplicates:{get_language()}:{state['count']}:{state['top']}:{stamps}"
    pairs = cache.get(key)
    if pairs is None:
        entities = existing_entities(published_only=True)
        pairs = [(s, a.key, b.key, r) for s, a, b, r in duplicate_pairs(entities)]
        cache.set(key, pairs, CACHE_SECONDS)
    return pairs


@editor_required
def duplicates(request):
    paginator = Paginator(cached_pairs(), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    ids = {pk for _score, a, b, _reasons in page.object_list for pk in (a, b)}
    actors = ActorPage.objects.filter(pk__in=ids, merged_into__isnull=True).select_related(
        "organisation_type"
    )
    by_id = {actor.pk: actor for actor in actors}
    page.rows = [
        {"score": score, "a": by_id[a], "b": by_id[b], "reasons": reasons}
        for score, a, b, reasons in page.object_list
        if a in by_id and b in by_id
    ]
    return TemplateResponse(
        request,
        "cobioe_onboarding/admin/duplicates.html",
        {"page_obj": page, "total": paginator.count},
    )


def _pair(request, first: int, second: int):
    """The two actors of a proposed pair that the editor may merge, or an error."""
    found = {
        a.pk: a for a in ActorPage.objects.filter(pk__in=[first, second], merged_into__isnull=True)
    }
    if first == second or len(found) != 2:
        return None, _("These two pages are not actor profiles that can be merged.")
    for actor in found.values():
        if actor.first_published_at is None:
            return None, _(
                "“%(title)s” has never been published: no editor has reviewed it, so it "
                "cannot be merged. Review it first."
            ) % {"title": actor.title}
    proposed = {(a, b) for _s, a, b, _r in cached_pairs()}
    if (min(first, second), max(first, second)) not in proposed:
        return None, _("These two profiles are not proposed as duplicates.")
    for actor in found.values():
        permissions = actor.permissions_for_user(request.user)
        if not permissions.can_edit() or (actor.live and not permissions.can_unpublish()):
            return None, _("You may not edit and unpublish “%(title)s”.") % {"title": actor.title}
    return (found[first], found[second]), ""


def _fields(actor: ActorPage) -> list[tuple[str, str]]:
    rows = []
    for name in COMPARED_FIELDS:
        field = ActorPage._meta.get_field(name)
        value = getattr(actor, name)
        if name == "country":
            value = country_name(str(value))
        elif name == "size_band":
            value = actor.get_size_band_display()
        rows.append((str(field.verbose_name), "" if value is None else str(value)))
    terms = ", ".join(str(s) for s in actor.stages.all())
    rows.append((str(ActorPage._meta.get_field("stages").verbose_name), terms))
    return rows


@editor_required
def merge(request, first: int, second: int):
    pair, error = _pair(request, first, second)
    if pair is None:
        messages.error(request, error + " " + _("Nothing was changed."))
        return redirect("cobioe_actor_import:duplicates")
    keep = request.POST.get("keep") if request.method == "POST" else request.GET.get("keep")
    if keep not in (str(first), str(second)):
        if request.method == "POST":
            messages.error(request, _("Choose which profile to keep. Nothing was changed."))
            return redirect("cobioe_actor_import:duplicates")
        context = {
            "pair": pair,
            "rows": list(zip(_fields(pair[0]), _fields(pair[1]), strict=True)),
        }
        return TemplateResponse(request, "cobioe_onboarding/admin/merge_choose.html", context)
    kept, removed = pair if keep == str(first) else (pair[1], pair[0])
    if request.method == "POST":
        try:
            changes = merge_actors(kept, removed, request.user)
        except ValueError as failure:
            messages.error(request, str(failure))
            return redirect("cobioe_actor_import:duplicates")
        message = _(
            "“%(removed)s” was merged into “%(kept)s” (%(n)d changes); its address now "
            "redirects there."
        ) % {"removed": removed.title, "kept": kept.title, "n": len(changes)}
        edit_url = reverse("wagtailadmin_pages:edit", args=[kept.pk])
        messages.success(request, message, buttons=[messages.button(edit_url, _("Edit"))])
        return redirect("cobioe_actor_import:duplicates")
    consequences = [
        sentence
        for _receiver, sentences in actors_merge_preview.send(
            sender=ActorPage, kept=kept, removed=removed
        )
        for sentence in sentences or ()
    ]
    context = {
        "kept": kept,
        "removed": removed,
        "changes": preview_merge(kept, removed),
        "consequences": consequences,
        "first": first,
        "second": second,
    }
    return TemplateResponse(request, "cobioe_onboarding/admin/merge_confirm.html", context)
