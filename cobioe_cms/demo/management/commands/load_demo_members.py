from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from cobioe_cms.actors.models import ActorPage

from ...installed import require_app

DEMO_MEMBER = ("member@example.org", "cobioe-demo-member")


class Command(BaseCommand):
    help = (
        "Create a demo member (verified e-mail) who represents the first synthetic actor, "
        "to try the member side locally. Idempotent; never for production."
    )

    def handle(self, *args, **options):
        require_app("cobioe_cms.members")
        from allauth.account.models import EmailAddress

        from cobioe_cms.members.forms import quiet_wagtail_notifications
        from cobioe_cms.members.models import MemberProfile, Representative

        email, password = DEMO_MEMBER
        user_model = get_user_model()
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create_user("demo-member", email, password)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            MemberProfile.objects.create(
                user=user,
                full_name="Demo Member",
                privacy_policy_version="demo",
                privacy_consent_at=timezone.now(),
            )
            quiet_wagtail_notifications(user)
        actor = ActorPage.objects.filter(is_demo=True).order_by("path").first()
        if actor is not None:
            Representative.objects.get_or_create(user=user, actor=actor)
        if apps.is_installed("cobioe_cms.community"):
            from cobioe_cms.demo.community import place_demo_member
            from cobioe_cms.demo.opportunities import place_member_opportunity

            place_demo_member(user)  # the demo groups of load_demo, if loaded
            place_member_opportunity(user)  # on the board of load_demo, if loaded
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo member: http://127.0.0.1:8000/accounts/login/  {email} / {password}"
                + (f" (represents “{actor.title}”, demo data)." if actor else ".")
            )
        )
