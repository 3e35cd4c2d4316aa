"""Account pages from django-allauth, inside the theme: password reset, e-mail change."""

import re

import pytest
from django.core import mail


@pytest.mark.django_db
def test_password_reset_by_email(client, member):
    page = client.get("/accounts/password/reset/")
    assert 'class="skip-link"' in page.content.decode()  # rendered inside the theme
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": "marie@lyonbio.eu"})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", message.body)[1]
    form_url = client.get(link)["Location"] if client.get(link).status_code == 302 else link
    client.post(form_url, {"password1": "another-long-phrase", "password2": "another-long-phrase"})
    assert client.login(username="marie", password="another-long-phrase")


@pytest.mark.django_db
def test_unknown_address_reset_reveals_nothing(client, member):
    response = client.post("/accounts/password/reset/", {"email": "nobody@nowhere.eu"})
    assert response.status_code in {200, 302}
    assert all("nobody@nowhere.eu" not in m.to for m in mail.outbox if "reset" in m.body)


@pytest.mark.django_db
def test_change_of_email_needs_verification(client, member):
    client.force_login(member)
    assert client.get("/accounts/email/").status_code == 200
    mail.outbox.clear()
    client.post("/accounts/email/", {"action_add": "", "email": "marie@new-lab.eu"})
    assert any("marie@new-lab.eu" in m.to for m in mail.outbox)
    assert not member.emailaddress_set.get(email="marie@new-lab.eu").verified
