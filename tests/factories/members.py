"""Factories of members (accounts as sign-up leaves them) and of their links to
organisations: representatives and claims."""

import factory

from cobioe_cms.members.forms import quiet_wagtail_notifications
from cobioe_cms.members.models import Claim, MemberProfile, Representative

from .users import UserFactory


class MemberFactory(UserFactory):
    """``MemberFactory(username="marie", email="marie@lyonbio.eu", groups=["Editors"])``.

    As sign-up leaves a member: a verified primary e-mail address, a member profile
    (``full_name`` defaults to the user name, title-cased) and Wagtail's notification
    e-mails off.
    """

    verified = True
    full_name = factory.LazyAttribute(lambda o: o.username.title())

    @classmethod
    def _create(cls, model_class, *args, full_name="", **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        MemberProfile.objects.create(user=user, full_name=full_name)
        quiet_wagtail_notifications(user)
        return user


class RepresentativeFactory(factory.django.DjangoModelFactory):
    """``RepresentativeFactory(user=member, actor=page)``: ``user`` represents ``actor``."""

    class Meta:
        model = Representative

    user = factory.SubFactory(MemberFactory)


class ClaimFactory(factory.django.DjangoModelFactory):
    """``ClaimFactory(user=member, actor=page)``: a pending claim, with the member's own
    e-mail address as evidence unless ``email`` is given."""

    class Meta:
        model = Claim

    user = factory.SubFactory(MemberFactory)
    email = factory.LazyAttribute(lambda o: o.user.email)
