import pytest

from cobioe_cms.actors.signals import actors_merged
from cobioe_cms.members.models import Claim, Representative
from tests.factories import ActorPageFactory


@pytest.mark.django_db
def test_representatives_and_claims_follow_a_merged_duplicate(
    cartography, representative, other_member, lyon
):
    duplicate = ActorPageFactory(parent=cartography, title="Lyon Biologics SAS")
    Representative.objects.create(user=other_member, actor=duplicate)
    Representative.objects.create(user=representative, actor=duplicate)
    claim = Claim.objects.create(user=other_member, actor=duplicate, email=other_member.email)
    actors_merged.send(sender=type(lyon), kept=lyon, removed=duplicate, user=None)
    assert set(
        Representative.objects.filter(actor=lyon).values_list("user__username", flat=True)
    ) == {"marie", "otto"}
    assert not Representative.objects.filter(actor=duplicate).exists()
    claim.refresh_from_db()
    assert claim.actor_id == lyon.pk
