"""Factories of actor profiles, created as published pages under a cartography."""

import factory
from django.utils.text import slugify

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.vocabulary import GMP_STATUS, ORGANISATION_TYPE, PROFILE_FACETS

M2M = {facet.relation: facet.model for facet in PROFILE_FACETS if facet.many}


class ActorPageFactory(factory.django.DjangoModelFactory):
    """``ActorPageFactory(parent=cartography, stages=["production"], ...)``.

    Taxonomy fields take slugs; ``organisation_type`` and ``gmp_status`` take a slug
    too. The page is published (a revision is saved) unless ``live=False``.
    """

    class Meta:
        model = ActorPage

    title = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    country = "FR"
    city = "Lyon"
    organisation_type = "company"

    @classmethod
    def _create(cls, model_class, *args, parent=None, live=True, **kwargs):
        if parent is None:
            raise ValueError("ActorPageFactory needs parent=<CartographyPage>")
        terms = {name: kwargs.pop(name, []) for name in M2M}
        keywords = kwargs.pop("keywords", [])
        for facet in (ORGANISATION_TYPE, GMP_STATUS):
            if kwargs.get(facet.relation):
                kwargs[facet.relation] = facet.model.objects.get(slug=kwargs[facet.relation])
        actor = model_class(*args, live=live, **kwargs)
        for name, slugs in terms.items():
            setattr(actor, name, list(M2M[name].objects.filter(slug__in=slugs)))
        if keywords:
            actor.keywords.add(*keywords)
        parent.add_child(instance=actor)
        if live:
            actor.save_revision().publish()
        else:
            actor.save_revision()
        return actor
