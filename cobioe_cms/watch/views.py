"""The member's watch: feed, interests, followed organisations, saved searches, and
the unsubscribe link of digests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cobioe_cms.actors.filters import ActorFilter
from cobioe_cms.actors.models import ActorPage, CartographyPage
from cobioe_cms.core.ratelimit import allow
from cobioe_cms.core.redirects import safe_redirect
from cobioe_cms.core.vocabulary import TOPIC_RELATIONS
from cobioe_cms.members.auth import verified_member_required

from .digests import user_id_from_token
from .forms import InterestForm, SaveSearchForm
from .matching import get_matcher, profile_has_interests, visible_actors
from .models import InterestProfile, ItemFeedback, SavedSearch, Source, WatchItem

PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}


def _profile(user) -> InterestProfile:
    profile, _created = InterestProfile.objects.get_or_create(user=user)
    return profile


@verified_member_required
def feed(request):
    profile = _profile(request.user)
    items = get_matcher().items_for(profile)
    period = request.GET.get("period", "30")
    if period not in PERIODS:
        messages.warning(request, _("Unknown period; showing the last 30 days."))
        period = "30"
    since = timezone.now() - timezone.timedelta(days=PERIODS[period])
    items = items.filter(published_at__gte=since)
    source = request.GET.get("source", "")
    if source.isdigit():
        items = items.filter(source_id=int(source))
    topic = request.GET.get("topic", "")
    topics = _profile_topics(profile)
    if topic in topics:
        relation, term_id = topic.split(":")
        items = items.filter(**{f"{relation}__id": int(term_id)})
    elif topic:
        messages.warning(request, _("Unknown topic; showing all your topics."))
        topic = ""
    items = items.select_related("source").prefetch_related(
        # Actors unpublished or made private since are not shown (name nor link).
        *TOPIC_RELATIONS,
        Prefetch("actors", visible_actors()),
    )
    ordered = items.order_by("-published_at__date", "-score", "-published_at", "-pk")
    news = list(get_matcher().news_for(profile).filter(date__gte=since.date())[:5])
    page = Paginator(ordered, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "cobioe_watch/feed.html",
        {
            "profile": profile,
            "page_obj": page,
            "news": news,
            "period": period,
            "topic": topic,
            "topics": topics,
            "source": source,
            "sources": Source.objects.filter(active=True).order_by("name"),
            "periods": PERIODS,
            "has_interests": profile_has_interests(profile),
        },
    )


def _profile_topics(profile: InterestProfile) -> dict[str, str]:
    """'relation:id' -> label, for the terms the member chose (the feed's topic filter)."""
    return {
        f"{relation}:{term.pk}": term.label
        for relation in TOPIC_RELATIONS
        for term in getattr(profile, relation).all()
    }


@verified_member_required
def interests(request):
    profile = _profile(request.user)
    form = InterestForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your interests were saved."))
            return redirect("watch:interests")
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    return render(
        request,
        "cobioe_watch/interests.html",
        {
            "form": form,
            "followed": profile.followed_actors.filter(pk__in=visible_actors()).order_by("title"),
            "searches": SavedSearch.objects.filter(user=request.user),
        },
    )


def _back(request, fallback: str):
    """Back to the page the form was on (its ``next`` field), if that is a local path."""
    return safe_redirect(request.POST.get("next"), fallback)


@verified_member_required
@require_POST
def follow(request, pk: int):
    actor = get_object_or_404(ActorPage.objects.live().public(), pk=pk)
    profile = _profile(request.user)
    if profile.followed_actors.filter(pk=actor.pk).exists():
        profile.followed_actors.remove(actor)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": actor.title})
    elif profile.followed_actors.count() >= 200:
        messages.error(request, _("You follow 200 organisations already."))
    else:
        profile.followed_actors.add(actor)
        messages.success(
            request,
            _("You follow %(name)s: its news will be in your watch.") % {"name": actor.title},
        )
    return _back(request, actor.url)


@verified_member_required
@require_POST
def not_relevant(request, pk: int):
    item = get_object_or_404(WatchItem, pk=pk)
    ItemFeedback.objects.get_or_create(user=request.user, item=item)
    messages.success(request, _("Noted: similar items will rank lower."))
    return _back(request, reverse("watch:feed"))


@verified_member_required
@require_POST
def save_search(request):
    form = SaveSearchForm(request.POST)
    cartography = None
    if form.is_valid():
        cartography = (
            CartographyPage.objects.live().filter(pk=form.cleaned_data["cartography"]).first()
        )
    if cartography is None:
        messages.error(request, _("This search could not be saved."))
        return _back(request, "/")
    if SavedSearch.objects.filter(user=request.user).count() >= 50:
        messages.error(request, _("You have 50 saved searches already; delete one first."))
    elif not allow(f"save-search:{request.user.pk}", 30, 3600):
        messages.error(request, _("Too many searches saved in a short time; try later."))
    else:
        state = ActorFilter(QueryDict(form.cleaned_data["querystring"]), cartography.actors())
        SavedSearch.objects.create(
            user=request.user,
            name=form.cleaned_data["name"],
            cartography=cartography,
            querystring=state.querystring(),
            alert=form.cleaned_data["alert"],
        )
        messages.success(request, _("Search saved."))
    return _back(request, cartography.url)


@verified_member_required
@require_POST
def delete_search(request, pk: int):
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    search.delete()
    messages.success(request, _("Saved search deleted."))
    return redirect("watch:interests")


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a CSRF token
def unsubscribe(request, token: str):
    """GET shows a one-button page (link scanners must not unsubscribe anyone);
    POST, from that button or from a mail client's one-click, unsubscribes."""
    user_id = user_id_from_token(token[:200])
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return render(request, "cobioe_watch/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        InterestProfile.objects.filter(user=user).update(digest=InterestProfile.Digest.NONE)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain")
        return render(request, "cobioe_watch/unsubscribe.html", {"done": True})
    return render(request, "cobioe_watch/unsubscribe.html", {"token": token})
