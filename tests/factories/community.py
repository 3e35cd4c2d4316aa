"""Factories of working groups (pages under a groups index) and their memberships."""

import factory
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify

from cobioe_cms.community.discussions import recount
from cobioe_cms.community.models import GroupMembership, Reply, Thread, WorkingGroupPage
from cobioe_cms.core.vocabulary import TOPIC_FACETS

from .members import MemberFactory

TOPICS = {facet.relation: facet.model for facet in TOPIC_FACETS}


class WorkingGroupPageFactory(factory.django.DjangoModelFactory):
    """``WorkingGroupPageFactory(parent=index, membership_policy="open", stages=["production"],
    countries=["FR"])``: a published group. Topic fields take slugs."""

    class Meta:
        model = WorkingGroupPage

    title = factory.Sequence(lambda n: f"Working group {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = factory.LazyAttribute(lambda o: f"What {o.title} does.")
    mission = "<p>Work together.</p>"

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            raise ValueError("WorkingGroupPageFactory needs parent=<WorkingGroupIndexPage>")
        terms = {name: kwargs.pop(name, []) for name in TOPICS}
        page = model_class(*args, **kwargs)
        for name, slugs in terms.items():
            setattr(page, name, list(TOPICS[name].objects.filter(slug__in=slugs)))
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    """``GroupMembershipFactory(group=group, user=member, role="coordinator")``: active
    unless ``status`` says otherwise."""

    class Meta:
        model = GroupMembership

    user = factory.SubFactory(MemberFactory)
    status = GroupMembership.Status.ACTIVE
    role = GroupMembership.Role.MEMBER
    language = "en"


class ThreadFactory(factory.django.DjangoModelFactory):
    """``ThreadFactory(group=group, author=member)``: a published thread."""

    class Meta:
        model = Thread

    title = factory.Sequence(lambda n: f"Thread {n}")
    body = "What do you think?"
    author_name = factory.LazyAttribute(lambda o: o.author.get_username() if o.author else "")
    language = "en"


def make_reply(thread, user, text="I agree.", parent=None, public=True, **fields):
    """A reply as posting leaves it (tree data computed by django-comments-xtd's save)."""
    reply = Reply(
        content_type=ContentType.objects.get_for_model(Thread),
        object_pk=str(thread.pk),
        site_id=settings.SITE_ID,
        user=user,
        user_name=user.get_username() if user else "",
        user_email=user.email if user else "",
        comment=text,
        is_public=public,
        parent_id=parent.pk if parent else 0,
        **fields,
    )
    reply.save()
    recount(thread)
    return reply
