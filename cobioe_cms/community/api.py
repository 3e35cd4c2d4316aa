"""The community's open data (``/api/v1/groups/`` and ``/api/v1/opportunities/``),
added to the API through :func:`cobioe_cms.core.api.register` when the app is ready
(the API's URLconf imports no community module).

Only what an anonymous visitor sees: the working groups that are published and not
restricted, and the current opportunities (published, open, not expired, of a
published organisation). No personal data: no members, no one who posted, no
message; a group's member count is a number.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core import api
from cobioe_cms.core.api import ERRORS, PAGE_PARAMETERS
from cobioe_cms.core.vocabulary import TOPIC_RELATIONS

from .models import OpportunityPage, WorkingGroupPage


def slugs() -> serializers.ListField:
    return serializers.ListField(child=serializers.SlugField())


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    url = serializers.URLField()
    stages = slugs()
    modalities = slugs()
    therapeutic_areas = slugs()
    countries = serializers.ListField(child=serializers.CharField())
    membership_policy = serializers.ChoiceField(choices=WorkingGroupPage.Policy.values)
    discussion_visibility = serializers.ChoiceField(choices=WorkingGroupPage.Visibility.values)
    member_count = serializers.IntegerField()


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The actor's id (actors/<id>/).")
    name = serializers.CharField()


class OpportunitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()
    direction = serializers.ChoiceField(choices=OpportunityPage.Direction.values)
    kind = serializers.ChoiceField(choices=OpportunityPage.Kind.values)
    description = serializers.CharField(allow_blank=True)
    organisation = OrganisationSerializer()
    stages = slugs()
    modalities = slugs()
    therapeutic_areas = slugs()
    scales = slugs()
    gmp_status = serializers.CharField(allow_blank=True)
    countries = serializers.ListField(
        child=serializers.CharField(), help_text="Countries sought (empty: anywhere in Europe)."
    )
    expires_on = serializers.DateField()


def _terms(page, relations) -> dict[str, list[str]]:
    return {
        relation: [term.slug for term in getattr(page, relation).all()] for relation in relations
    }


class GroupListView(api.ReadOnlyAPIView):
    @extend_schema(
        tags=["community"],
        summary="Public working groups",
        parameters=PAGE_PARAMETERS,
        responses={200: GroupSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        groups = (
            WorkingGroupPage.objects.live()
            .public()
            .with_member_count()
            .with_topics()
            .order_by("title", "pk")
        )
        paginator = api.LinkedPagination()
        page = paginator.paginate_queryset(groups, request, view=self)
        data = [
            {
                "id": group.pk,
                "title": group.title,
                "summary": group.summary,
                "url": request.build_absolute_uri(group.get_url(request)),
                **_terms(group, TOPIC_RELATIONS),
                "countries": [country.code for country in group.countries],
                "membership_policy": group.membership_policy,
                "discussion_visibility": group.discussion_visibility,
                "member_count": group.member_count,
            }
            for group in page
        ]
        return paginator.get_paginated_response(GroupSerializer(data, many=True).data)


class OpportunityListView(api.ReadOnlyAPIView):
    @extend_schema(
        tags=["community"],
        summary="Current collaboration opportunities",
        description=str(gettext_lazy("Published, open and not expired, soonest expiry first.")),
        parameters=PAGE_PARAMETERS,
        responses={200: OpportunitySerializer(many=True), **ERRORS},
    )
    def get(self, request):
        organisations = ActorPage.objects.only("pk", "title")
        opportunities = (
            OpportunityPage.objects.current()
            .public()
            .filter(organisation__in=ActorPage.objects.live().public())
            .select_related("gmp_status")
            .prefetch_related(
                Prefetch("organisation", queryset=organisations),
                *TOPIC_RELATIONS,
                "scales",
            )
            .order_by("expires_on", "pk")
        )
        paginator = api.LinkedPagination()
        page = paginator.paginate_queryset(opportunities, request, view=self)
        data = [
            {
                "id": item.pk,
                "title": item.title,
                "url": request.build_absolute_uri(item.get_url(request)),
                "direction": item.direction,
                "kind": item.kind,
                "description": item.description,
                "organisation": {"id": item.organisation.pk, "name": item.organisation.title},
                **_terms(item, (*TOPIC_RELATIONS, "scales")),
                "gmp_status": item.gmp_status.slug if item.gmp_status else "",
                "countries": [country.code for country in item.countries],
                "expires_on": item.expires_on,
            }
            for item in page
        ]
        return paginator.get_paginated_response(OpportunitySerializer(data, many=True).data)


api.register("groups/", GroupListView.as_view(), "groups")
api.register("opportunities/", OpportunityListView.as_view(), "opportunities")
