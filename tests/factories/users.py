"""Factories of accounts: any account, an editor, a superuser."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission, User

PASSWORD = "a-long-pass-phrase"


class UserFactory(factory.django.DjangoModelFactory):
    """``UserFactory(username="uma", groups=["Moderators"], perms=["access_admin"])``.

    Made with ``create_user`` (so ``is_staff``/``is_superuser`` are only what is passed).
    ``email`` defaults to ``<username>@example.org`` and the password to
    :data:`PASSWORD`. ``groups`` takes group names (each must exist), ``perms``
    permission codenames. ``verified=True`` or ``False`` adds the primary e-mail address
    allauth keeps, verified or not; by default there is none.
    """

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = PASSWORD
    groups = ()
    perms = ()
    verified = None

    @classmethod
    def _create(cls, model_class, *args, groups=(), perms=(), verified=None, **kwargs):
        user = cls._create_user(model_class, **kwargs)
        user.groups.add(*(Group.objects.get(name=name) for name in groups))
        user.user_permissions.add(*(Permission.objects.get(codename=c) for c in perms))
        if verified is not None:
            EmailAddress.objects.create(
                user=user, email=user.email, verified=verified, primary=True
            )
        return user

    @classmethod
    def _create_user(cls, model_class, **kwargs) -> User:
        return cls._get_manager(model_class).create_user(**kwargs)


class EditorFactory(UserFactory):
    """An account in the Editors group (the Wagtail admin), not staff nor superuser."""

    groups = ("Editors",)


class SuperuserFactory(UserFactory):
    """An administrator, made with ``create_superuser`` (staff and superuser)."""

    username = factory.Sequence(lambda n: f"root{n}")

    @classmethod
    def _create_user(cls, model_class, **kwargs) -> User:
        return cls._get_manager(model_class).create_superuser(**kwargs)
