"""The shipped templates show the parts of higher apps only when those apps are there.

The page layout links to the search, the accounts and the language switch only when the
site has their URLs; the actor pages include the parts of members, news and watch (claim,
follow, saved searches, related news) only when an installed app ships them, so that the
cartography renders with core and actors alone (CI's extension recipe fetches it so).
"""

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateDoesNotExist, TemplateSyntaxError
from django.test import override_settings

from tests.factories import ActorPageFactory


def render(source: str, **context) -> str:
    return Template("{% load core_tags %}" + source).render(Context(context))


def test_include_if_installed_renders_a_fragment_an_app_ships():
    html = render(
        '{% include_if_installed "cobioe_actors/components/term_list.html" %}',
        label="Scales",
        terms=[{"label": "Pilot scale"}],
    )
    assert "<dt>Scales</dt>" in html and "Pilot scale" in html


def test_include_if_installed_renders_nothing_when_no_app_ships_it():
    assert render('{% include_if_installed "cobioe_nowhere/fragment.html" %}') == ""


def test_include_if_installed_hides_no_error_inside_the_fragment(tmp_path):
    (tmp_path / "broken.html").write_text('{% include "cobioe_nowhere/missing.html" %}')
    (tmp_path / "bad_tag.html").write_text("{% load no_such_library %}")
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with override_settings(TEMPLATES=templates):
        with pytest.raises(TemplateDoesNotExist):
            render('{% include_if_installed "broken.html" %}')
        with pytest.raises(TemplateSyntaxError):
            render('{% include_if_installed "bad_tag.html" %}')


@pytest.mark.django_db
def test_full_platform_shows_the_higher_apps_parts(client, cartography, django_user_model):
    actor = ActorPageFactory(parent=cartography, title="Whole Bio")
    client.force_login(django_user_model.objects.create_user("whole", "w@example.org", "pw"))
    profile = client.get(actor.url).content.decode()
    assert 'class="site-header__search" action="/search/"' in profile
    assert 'href="/members/">' in profile and 'href="/watch/">' in profile
    assert 'class="actor-profile__follow"' in profile
    assert 'class="actor-profile__claim"' in profile
    assert 'class="save-search-form"' in client.get(cartography.url).content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.actors.urls_alone")
def test_the_layout_links_only_to_the_urls_the_site_has(client, cartography):
    ActorPageFactory(parent=cartography, title="Alone Bio")
    for url in (cartography.url, "/no/such/page/"):
        html = client.get(url).content.decode()
        assert "/static/cobioe_core/css/cobioe.css" in html
        assert "site-header__search" not in html  # no search URLs
        assert "account-links" not in html  # no allauth, no members
        assert "language-switch" not in html  # no set_language URL
    assert "Alone Bio" in client.get(cartography.url).content.decode()
    assert "Page not found" in html
