"""The regression signal and the optional e-mail to ADMINS."""

from __future__ import annotations

import django
import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import translation

from deploycheck import runner
from deploycheck.signals import regression
from deploycheck.store.state import state_of
from tests.secure import mail_backend_setting

pytestmark = pytest.mark.django_db

SITE = "https://weareone.example"


@pytest.fixture
def regressions_received():
    received = []

    def receiver(sender, run, previous, regressions, **kwargs):
        received.append((run, previous, [result.message_id for result in regressions]))

    regression.connect(receiver)
    yield received
    regression.disconnect(receiver)


def test_regression_lists_checks_that_passed_before_and_fail_now(secure_settings, regressions_received):
    first = runner.execute().run
    secure_settings.DEBUG = True
    secure_settings.SESSION_COOKIE_SECURE = False
    second = runner.execute().run
    assert regressions_received == [(second, first, ["security.W018", "security.W012"])] or regressions_received == [
        (second, first, ["security.W012", "security.W018"])
    ]
    runner.execute()  # still failing: not a regression
    assert len(regressions_received) == 1


def test_no_regression_on_the_first_run_or_without_change(secure_settings, regressions_received):
    secure_settings.DEBUG = True
    runner.execute()
    runner.execute()
    assert regressions_received == []


def test_regressions_are_per_app(secure_settings, regressions_received, monkeypatch):
    monkeypatch.setenv("HEROKU_APP_NAME", "weareone-staging")
    runner.execute()
    monkeypatch.setenv("HEROKU_APP_NAME", "weareone")
    secure_settings.DEBUG = True
    runner.execute()  # the first run of weareone: nothing to compare with
    assert regressions_received == []


# Django 6.1 takes ADMINS as plain addresses; 5.2 wants (name, address) pairs.
ADMINS = ["ops@weareone.example"] if django.VERSION >= (6, 1) else [("Ops", "ops@weareone.example")]


def locmem_mail(settings) -> None:
    for name, value in mail_backend_setting("django.core.mail.backends.locmem.EmailBackend").items():
        setattr(settings, name, value)


def test_email_to_admins_in_the_sites_language(secure_settings):
    locmem_mail(secure_settings)
    secure_settings.ADMINS = ADMINS
    secure_settings.LANGUAGE_CODE = "fr"
    secure_settings.DEPLOYCHECK = {"NOTIFY_ADMINS": True}
    first = runner.execute().run
    secure_settings.DEBUG = True
    second = runner.execute().run
    assert first is not None
    assert second is not None
    [message] = mail.outbox
    assert message.to == ["ops@weareone.example"]
    assert message.subject.endswith("1 contrôle échoue alors qu'il réussissait à sa dernière évaluation")
    # The app as a whole, in the words of the cards and the badge.
    # The app as a whole, as the badge words it (Django 6.1's mail.E001 fails this test site's run).
    state = state_of("")
    assert state is not None
    with translation.override("fr"):
        assert f"deploycheck pour ce site : {state.verdict}" in message.body.splitlines()
    assert "security.W018" in message.body
    assert "DEBUG est désactivé" in message.body
    # Without SITE_URL nothing says where the site is: no link.
    assert "/admin/deploycheck/checkrun/" not in message.body


def test_the_email_links_to_the_run_when_the_sites_address_is_known(secure_settings):
    locmem_mail(secure_settings)
    secure_settings.ADMINS = ADMINS
    secure_settings.DEPLOYCHECK = {"NOTIFY_ADMINS": True, "SITE_URL": "https://weareone.example"}
    runner.execute()
    secure_settings.DEBUG = True
    second = runner.execute().run
    assert second is not None
    [message] = mail.outbox
    assert (
        f"Open run {second.pk} in the admin: https://weareone.example/admin/deploycheck/checkrun/{second.pk}/change/"
        in (message.body)
    )


def test_no_email_unless_asked(secure_settings):
    locmem_mail(secure_settings)
    secure_settings.ADMINS = ADMINS
    runner.execute()
    secure_settings.DEBUG = True
    runner.execute()
    assert mail.outbox == []


def html_part(message: object) -> str:
    """The HTML alternative of a message mail_admins sent, the only one it has."""
    assert isinstance(message, EmailMultiAlternatives)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert isinstance(html, str)
    return html


def test_the_html_part_sets_commands_as_code_and_the_text_part_keeps_their_words(secure_settings, heroku):
    locmem_mail(secure_settings)
    secure_settings.ADMINS = ADMINS
    secure_settings.DEPLOYCHECK = {**secure_settings.DEPLOYCHECK, "NOTIFY_ADMINS": True, "SITE_URL": SITE}
    runner.execute(tags=["heroku"])
    heroku.resources["/apps/weareone/features"] = [{"id": "p1", "name": "preboot", "enabled": False}]
    # A domain name as an attacker who controls it could make it: shown, never taken as markup.
    heroku.resources["/apps/weareone/domains"].append(
        {"id": "w9", "hostname": "<b>x</b>.example", "kind": "custom", "cname": "x.example", "status": "succeeded"}
    )
    second = runner.execute(tags=["heroku"]).run
    assert second is not None
    [message] = mail.outbox
    html = html_part(message)
    assert "Turn preboot on: <code>heroku features:enable preboot -a weareone</code>." in html
    assert "&lt;b&gt;x&lt;/b&gt;.example" in html
    assert "<b>" not in html
    assert (
        f'<a href="{SITE}/admin/deploycheck/checkrun/{second.pk}/change/">Open run {second.pk} in the admin</a>' in html
    )
    assert "HINT: Turn preboot on: heroku features:enable preboot -a weareone." in message.body
    assert "<b>x</b>.example has no Heroku DNS target." in message.body
    assert "`" not in message.body


def test_the_html_part_is_in_the_sites_language(secure_settings, heroku):
    locmem_mail(secure_settings)
    secure_settings.ADMINS = ADMINS
    secure_settings.LANGUAGE_CODE = "fr"
    secure_settings.DEPLOYCHECK = {**secure_settings.DEPLOYCHECK, "NOTIFY_ADMINS": True}
    runner.execute(tags=["heroku"])
    heroku.resources["/apps/weareone/features"] = []
    runner.execute(tags=["heroku"])
    html = html_part(mail.outbox[0])
    assert '<html lang="fr">' in html
    assert "<code>heroku features:enable preboot -a weareone</code>" in html
