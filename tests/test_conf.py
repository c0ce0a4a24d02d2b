from __future__ import annotations

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from deploycheck import conf
from deploycheck.core.family import Family


def test_defaults_when_the_setting_is_absent(settings):
    del settings.DEPLOYCHECK
    # The suite's own default for OSV_API_URL is None (tests/conftest.py): no test asks the real database.
    defaults = conf.DeploycheckSettings(checks=(), fail_level="ERROR", time_budget=25.0, osv_api_url=None)
    assert conf.get_settings() == defaults
    assert conf.get_settings().heroku_api_url == "https://api.heroku.com"


def test_the_advisory_check_asks_osv_by_default():
    assert conf.DeploycheckSettings(checks=(), fail_level="ERROR", time_budget=1).osv_api_url == "https://api.osv.dev"


def test_osv_and_accepted_advisories_are_read(settings):
    settings.DEPLOYCHECK = {
        "OSV_API_URL": "http://127.0.0.1:8080",
        "ACCEPTED_ADVISORIES": {"PYSEC-2024-1": "Not reachable here.", "CVE-2024-12345": "Fixed by our proxy."},
    }
    merged = conf.get_settings()
    assert merged.osv_api_url == "http://127.0.0.1:8080"
    assert merged.accepted_advisories == (
        ("CVE-2024-12345", "Fixed by our proxy."),
        ("PYSEC-2024-1", "Not reachable here."),
    )
    settings.DEPLOYCHECK = {"OSV_API_URL": None}
    assert conf.get_settings().osv_api_url is None


def test_the_api_key_is_not_in_the_settings_repr(settings):
    settings.DEPLOYCHECK = {"HEROKU_API_KEY": "HRKU-secret"}
    assert conf.get_settings().heroku_api_key == "HRKU-secret"
    assert "HRKU-secret" not in repr(conf.get_settings())


def test_values_are_merged_over_defaults_when_read(settings):
    settings.DEPLOYCHECK = {"FAIL_LEVEL": "WARNING"}
    assert conf.get_settings().fail_level == "WARNING"
    settings.DEPLOYCHECK = {"TIME_BUDGET": 5}
    expected = conf.DeploycheckSettings(checks=(), fail_level="ERROR", time_budget=5.0, osv_api_url=None)
    assert conf.get_settings() == expected


@pytest.mark.parametrize(
    ("value", "error_id", "message"),
    [
        (["FAIL_LEVEL"], "deploycheck.E001", "DEPLOYCHECK must be a dict, not list."),
        ({"FAIL_LEVL": "ERROR"}, "deploycheck.E002", "DEPLOYCHECK has unknown key(s) 'FAIL_LEVL'"),
        ({"CHECKS": "myproject.checks"}, "deploycheck.E003", "DEPLOYCHECK['CHECKS'] must be a list of dotted paths."),
        ({"CHECKS": [3]}, "deploycheck.E003", "DEPLOYCHECK['CHECKS'] must be a list of dotted paths."),
        (
            {"CHECKS": ["nowhere.to_be_found"]},
            "deploycheck.E004",
            "entry 'nowhere.to_be_found' cannot be used (ModuleNotFoundError: No module named 'nowhere')",
        ),
        (
            {"CHECKS": ["tests.secure.SECURE_SETTINGS"]},
            "deploycheck.E004",
            "entry 'tests.secure.SECURE_SETTINGS' cannot be used "
            "(neither a module, a family of checks nor a check function)",
        ),
        ({"FAIL_LEVEL": "LOUD"}, "deploycheck.E005", "DEPLOYCHECK['FAIL_LEVEL'] is 'LOUD'; use one of DEBUG, INFO"),
        ({"TIME_BUDGET": 0}, "deploycheck.E006", "['TIME_BUDGET'] is 0; use a number above 0 and at most 3600."),
        ({"TIME_BUDGET": "10"}, "deploycheck.E006", "DEPLOYCHECK['TIME_BUDGET'] is '10'"),
        ({"HEROKU_RETRIES": 1.5}, "deploycheck.E006", "is 1.5; use a whole number from 0 to 10."),
        ({"HEROKU_BACKOFF": -1}, "deploycheck.E006", "DEPLOYCHECK['HEROKU_BACKOFF'] is -1"),
        ({"HEROKU_API_URL": "api.heroku.com"}, "deploycheck.E008", "use an http or https URL"),
        ({"HEROKU_APPS": "weareone"}, "deploycheck.E009", "must be a list of app names"),
        ({"HEROKU_API_KEY": 12345}, "deploycheck.E010", "must be a string or None."),
        ({"RETENTION_DAYS": 0}, "deploycheck.E011", "DEPLOYCHECK['RETENTION_DAYS'] is 0"),
        ({"NOTIFY_ADMINS": "yes"}, "deploycheck.E012", "must be True or False."),
        ({"PROJECT_ROOT": "/no/such/directory"}, "deploycheck.E013", "use the path of an existing directory"),
        ({"URLS": ["http://weareone.example/"]}, "deploycheck.E014", "must be a list of https:// URLs."),
        # One stray character must not become a traceback that blocks `migrate` in the release phase.
        ({"URLS": ["https://[www.weareone.example/"]}, "deploycheck.E014", "must be a list of https:// URLs."),
        ({"URLS": ["https://weareone.example:99999/"]}, "deploycheck.E014", "must be a list of https:// URLs."),
        ({"URLS": ["https://wea reone.example/"]}, "deploycheck.E014", "must be a list of https:// URLs."),
        ({"HEROKU_API_URL": "https://[api.heroku.com"}, "deploycheck.E008", "use an http or https URL"),
        ({"HTTP_TIMEOUT": 0}, "deploycheck.E006", "DEPLOYCHECK['HTTP_TIMEOUT'] is 0"),
        # NaN passes every comparison and an infinite or huge budget overflows a timeout: both refused.
        ({"TIME_BUDGET": float("inf")}, "deploycheck.E006", "is inf; use a number above 0 and at most 3600."),
        ({"TIME_BUDGET": 10**400}, "deploycheck.E006", "is 10**400; use a number above 0 and at most 3600."),
        ({"TIME_BUDGET": 10**5000}, "deploycheck.E006", "'TIME_BUDGET'] is 10**5000;"),
        ({"TIME_BUDGET": float("nan")}, "deploycheck.E006", "'TIME_BUDGET'] is nan;"),
        ({"TIME_BUDGET": 3600.5}, "deploycheck.E006", "'TIME_BUDGET'] is 3600.5;"),
        ({"HEROKU_READ_TIMEOUT": float("nan")}, "deploycheck.E006", "is nan; use a number above 0 and at most 300."),
        ({"HEROKU_READ_TIMEOUT": 301}, "deploycheck.E006", "'HEROKU_READ_TIMEOUT'] is 301;"),
        ({"HTTP_TIMEOUT": float("nan")}, "deploycheck.E006", "'HTTP_TIMEOUT'] is nan;"),
        ({"HTTP_TIMEOUT": float("-inf")}, "deploycheck.E006", "'HTTP_TIMEOUT'] is -inf;"),
        ({"HEROKU_BACKOFF": float("inf")}, "deploycheck.E006", "is inf; use a number from 0 to 10."),
        ({"HEROKU_BACKOFF": float("nan")}, "deploycheck.E006", "'HEROKU_BACKOFF'] is nan;"),
        ({"HEROKU_RETRIES": 11}, "deploycheck.E006", "is 11; use a whole number from 0 to 10."),
        ({"HEROKU_RETRIES": 10**400}, "deploycheck.E006", "'HEROKU_RETRIES'] is 10**400;"),
        ({"RETENTION_DAYS": 10**400}, "deploycheck.E011", "is 10**400; use a number of days from 1 to 36500, or None."),
        ({"RETENTION_DAYS": 36501}, "deploycheck.E011", "'RETENTION_DAYS'] is 36501;"),
        ({"RETENTION_DAYS": float("nan")}, "deploycheck.E011", "'RETENTION_DAYS'] is nan;"),
        # Only Heroku app names and ids: anything else would be put in the API's paths.
        ({"HEROKU_APPS": ["../account"]}, "deploycheck.E009", "entry '../account' is not a Heroku app name or id"),
        ({"HEROKU_APPS": ["weareone", "WeAreOne Staging"]}, "deploycheck.E009", "entry 'WeAreOne Staging' is not"),
        ({"HEROKU_APPS": [""]}, "deploycheck.E009", "entry '' is not a Heroku app name or id"),
        ({"HEROKU_APPS": ["../stacks?x="]}, "deploycheck.E009", "entry '../stacks?x=' is not"),
        ({"HEROKU_APPS": ["weareone\n"]}, "deploycheck.E009", "entry 'weareone\\n' is not"),
        ({"HEROKU_APPS": ["we"]}, "deploycheck.E009", "3 to 30 lowercase letters, digits and dashes"),
        ({"HEROKU_APPS": ["a" * 31]}, "deploycheck.E009", "is not a Heroku app name or id"),
        ({"HEROKU_APPS": ["weareone-"]}, "deploycheck.E009", "is not a Heroku app name or id"),
        ({"HEROKU_APPS": ["1weareone"]}, "deploycheck.E009", "is not a Heroku app name or id"),
        ({"HEROKU_APPS": ["weare_one"]}, "deploycheck.E009", "is not a Heroku app name or id"),
        ({"HEROKU_APPS": ["01234567-89ab-cdef-0123-456789abcdeg"]}, "deploycheck.E009", "is not a Heroku app name"),
        ({"OSV_API_URL": "api.osv.dev"}, "deploycheck.E015", "['OSV_API_URL'] is 'api.osv.dev'; use an http or https"),
        ({"OSV_API_URL": ""}, "deploycheck.E015", "use an http or https URL, or None."),
        ({"ACCEPTED_ADVISORIES": ["GHSA-1"]}, "deploycheck.E016", "['ACCEPTED_ADVISORIES'] must be a dict"),
        ({"ACCEPTED_ADVISORIES": {"nonsense": "why"}}, "deploycheck.E016", "key 'nonsense' is not an advisory id"),
        ({"ACCEPTED_ADVISORIES": {"CVE-1\x1b[31m": "why"}}, "deploycheck.E016", "is not an advisory id"),
        ({"ACCEPTED_ADVISORIES": {"CVE-2024-1": ""}}, "deploycheck.E016", "['CVE-2024-1'] must be a text saying why"),
        ({"ACCEPTED_ADVISORIES": {"CVE-2024-1": None}}, "deploycheck.E016", "['CVE-2024-1'] must be a text saying why"),
    ],
)
def test_bad_settings_are_system_check_errors(settings, value, error_id, message):
    settings.DEPLOYCHECK = value
    errors = [error for error in checks.run_checks(tags=["deploycheck"]) if (error.id or "").startswith("deploycheck.")]
    assert [error.id for error in errors] == [error_id]
    assert message in errors[0].msg
    assert errors[0].level == checks.ERROR
    with pytest.raises(ImproperlyConfigured, match=error_id):
        conf.get_settings()


@pytest.mark.parametrize(
    "apps",
    [
        ["weareone", "weareone-staging", "abc", "a" * 30, "w3-4r3-0n3"],
        ["01234567-89ab-cdef-0123-456789abcdef", "01234567-89AB-CDEF-0123-456789ABCDEF"],
    ],
)
def test_heroku_app_names_and_ids_are_accepted(settings, apps):
    settings.DEPLOYCHECK = {"HEROKU_APPS": apps}
    assert checks.run_checks(tags=["deploycheck"]) == []
    assert conf.get_settings().heroku_apps == tuple(apps)


def test_each_bad_app_is_named_in_its_own_error(settings):
    settings.DEPLOYCHECK = {"HEROKU_APPS": ["../account", "weareone", "WeAreOne Staging"]}
    errors = checks.run_checks(tags=["deploycheck"])
    assert [error.id for error in errors] == ["deploycheck.E009", "deploycheck.E009"]
    assert "'../account'" in errors[0].msg
    assert "'WeAreOne Staging'" in errors[1].msg


@pytest.mark.parametrize(
    "values",
    [
        # The largest value allowed is allowed, and so is the smallest when it is inclusive.
        {"TIME_BUDGET": 3600, "HEROKU_READ_TIMEOUT": 300.0, "HTTP_TIMEOUT": 300},
        {"HEROKU_RETRIES": 0, "HEROKU_BACKOFF": 0, "RETENTION_DAYS": 1},
        {"HEROKU_RETRIES": 10, "HEROKU_BACKOFF": 10.0, "RETENTION_DAYS": 36500},
    ],
)
def test_numbers_at_the_ends_of_their_range_are_accepted(settings, values):
    settings.DEPLOYCHECK = values
    assert checks.run_checks(tags=["deploycheck"]) == []


def test_valid_settings_give_no_system_check_error(settings):
    settings.DEPLOYCHECK = {"CHECKS": ["tests.plain_checks"], "FAIL_LEVEL": "CRITICAL", "TIME_BUDGET": 2.5}
    assert checks.run_checks(tags=["deploycheck"]) == []


CLASHING = Family("project")
CLASHING.check("security.W012", title="clash")(lambda facts: [])


def test_a_check_id_used_twice_is_a_system_check_error(settings):
    settings.DEPLOYCHECK = {"CHECKS": [f"{__name__}.CLASHING"]}
    errors = checks.run_checks(tags=["deploycheck"])
    assert [(error.id, error.msg) for error in errors] == [
        ("deploycheck.E007", "Two checks use the id 'security.W012': rename the project's one.")
    ]


# A webhook's URL is a secret: no message names it, only the webhook's index.
SECRET_HOOK = "https://hooks.slack.com/services/T0000/B0000/never-shown-secret"


def _deploycheck_errors() -> list[checks.CheckMessage]:
    return [error for error in checks.run_checks(tags=["deploycheck"]) if (error.id or "").startswith("deploycheck.")]


@pytest.mark.parametrize(
    ("value", "error_id", "message"),
    [
        ({"WEBHOOKS": SECRET_HOOK}, "deploycheck.E030", "DEPLOYCHECK['WEBHOOKS'] must be a list of dicts, each with"),
        ({"WEBHOOKS": {"url": SECRET_HOOK}}, "deploycheck.E030", "DEPLOYCHECK['WEBHOOKS'] must be a list of dicts"),
        ({"WEBHOOKS": 3}, "deploycheck.E030", "DEPLOYCHECK['WEBHOOKS'] must be a list of dicts"),
        ({"WEBHOOKS": [SECRET_HOOK]}, "deploycheck.E030", "DEPLOYCHECK['WEBHOOKS'][0] must be a dict with a 'url'."),
        (
            {"WEBHOOKS": [{"url": SECRET_HOOK, "channel": "#ops"}]},
            "deploycheck.E031",
            "DEPLOYCHECK['WEBHOOKS'][0] has unknown keys; a webhook takes 'url', 'format' and 'events'.",
        ),
        (
            {"WEBHOOKS": [{"url": SECRET_HOOK}, {"url": SECRET_HOOK.replace("https:", "http:")}]},
            "deploycheck.E032",
            "DEPLOYCHECK['WEBHOOKS'][1]['url'] must be a well-formed https:// URL (http:// only to this machine)",
        ),
        ({"WEBHOOKS": [{"url": "http://10.0.0.1/never-shown-secret"}]}, "deploycheck.E032", "['url'] must be"),
        ({"WEBHOOKS": [{"url": "https://[hooks/never-shown-secret"}]}, "deploycheck.E032", "['url'] must be"),
        ({"WEBHOOKS": [{"format": "slack"}]}, "deploycheck.E032", "[0]['url'] must be a well-formed https:// URL"),
        (
            {"WEBHOOKS": [{"url": SECRET_HOOK, "format": "teams"}]},
            "deploycheck.E033",
            "DEPLOYCHECK['WEBHOOKS'][0]['format'] must be 'slack' or 'json'.",
        ),
        (
            {"WEBHOOKS": [{"url": SECRET_HOOK, "events": "failed"}]},
            "deploycheck.E034",
            "DEPLOYCHECK['WEBHOOKS'][0]['events'] must be a non-empty list among 'regression', 'failed' and 'run'.",
        ),
        ({"WEBHOOKS": [{"url": SECRET_HOOK, "events": []}]}, "deploycheck.E034", "['events'] must be a non-empty"),
        ({"WEBHOOKS": [{"url": SECRET_HOOK, "events": ["deploy"]}]}, "deploycheck.E034", "['events'] must be"),
        ({"WEBHOOKS": [{"url": SECRET_HOOK, "events": [["run"]]}]}, "deploycheck.E034", "['events'] must be"),
        (
            {"SITE_URL": "http://weareone.example"},
            "deploycheck.E035",
            "DEPLOYCHECK['SITE_URL'] is 'http://weareone.example'; use the site's https:// address without a path",
        ),
        ({"SITE_URL": "https://weareone.example/admin/"}, "deploycheck.E035", "without a path"),
        ({"SITE_URL": "weareone.example"}, "deploycheck.E035", "['SITE_URL'] is 'weareone.example';"),
        ({"SITE_URL": "https://ops:pw@weareone.example"}, "deploycheck.E035", "is 'https://***@weareone.example';"),
        ({"SITE_URL": 443}, "deploycheck.E035", "['SITE_URL'] is 443;"),
    ],
)
def test_bad_webhook_settings_name_the_webhook_never_its_url(settings, value, error_id, message):
    settings.DEPLOYCHECK = value
    errors = _deploycheck_errors()
    assert [error.id for error in errors] == [error_id]
    assert message in errors[0].msg
    with pytest.raises(ImproperlyConfigured, match=error_id) as raised:
        conf.get_settings()
    for said in (errors[0].msg, errors[0].hint or "", str(raised.value)):
        assert "never-shown-secret" not in said
        assert ":pw@" not in said


def test_a_url_pasted_as_a_key_is_not_shown(settings):
    settings.DEPLOYCHECK = {"WEBHOOKS": [{SECRET_HOOK: "slack"}]}
    errors = _deploycheck_errors()
    assert [error.id for error in errors] == ["deploycheck.E031", "deploycheck.E032"]
    assert all("never-shown-secret" not in error.msg for error in errors)


def test_webhooks_and_the_site_url_are_read(settings):
    settings.DEPLOYCHECK = {
        "WEBHOOKS": [
            {"url": SECRET_HOOK},
            {"url": "http://127.0.0.1:8065/hooks/never-shown-secret", "format": "json", "events": ["run"]},
            {"url": "http://localhost/hooks/x", "events": ("failed",)},
            {"url": "http://[::1]:9000/x", "format": "slack", "events": ["regression", "failed", "run"]},
        ],
        "SITE_URL": "https://weareone.example/",
    }
    assert _deploycheck_errors() == []
    merged = conf.get_settings()
    assert merged.site_url == "https://weareone.example/"
    assert [(hook.index, hook.url, hook.format, hook.events) for hook in merged.webhooks] == [
        (0, SECRET_HOOK, "slack", frozenset({"regression", "failed"})),
        (1, "http://127.0.0.1:8065/hooks/never-shown-secret", "json", frozenset({"run"})),
        (2, "http://localhost/hooks/x", "slack", frozenset({"failed"})),
        (3, "http://[::1]:9000/x", "slack", frozenset({"regression", "failed", "run"})),
    ]
    assert merged.webhooks[1].name == "DEPLOYCHECK['WEBHOOKS'][1]"
    assert "never-shown-secret" not in repr(merged)
    assert "never-shown-secret" not in repr(merged.webhooks)


# The status endpoint's settings: the token is a secret, so no message shows it or its length.

STATUS_TOKEN = "Zq8-status_token.~+/0123456789abcdefXYZ="


def test_the_status_settings_are_read(settings):
    settings.DEPLOYCHECK = {"STATUS_TOKEN": STATUS_TOKEN, "PUBLIC_BADGE": True}
    merged = conf.get_settings()
    assert (merged.status_token, merged.public_badge) == (STATUS_TOKEN, True)
    assert STATUS_TOKEN not in repr(merged)
    assert checks.run_checks(tags=["deploycheck"]) == []
    del settings.DEPLOYCHECK
    assert (conf.get_settings().status_token, conf.get_settings().public_badge) == (None, False)


@pytest.mark.parametrize(
    ("value", "error_id", "message"),
    [
        ({"STATUS_TOKEN": 12345678901234567890123456789012345}, "deploycheck.E040", "must be a string or None."),
        ({"STATUS_TOKEN": b"x" * 40}, "deploycheck.E040", "must be a string or None."),
        ({"STATUS_TOKEN": ""}, "deploycheck.E041", "too short: use at least 32 characters"),
        ({"STATUS_TOKEN": "short-secret-value"}, "deploycheck.E041", "too short: use at least 32 characters"),
        ({"STATUS_TOKEN": "x" * 31}, "deploycheck.E041", "too short"),
        ({"STATUS_TOKEN": "with a space-0123456789abcdef0123456789"}, "deploycheck.E042", "cannot carry"),
        ({"STATUS_TOKEN": "line-feed\n0123456789abcdef0123456789"}, "deploycheck.E042", "cannot carry"),
        ({"STATUS_TOKEN": "non-ascii-é0123456789abcdef0123456789"}, "deploycheck.E042", "cannot carry"),
        ({"STATUS_TOKEN": "=padding-first-0123456789abcdef0123456"}, "deploycheck.E042", "cannot carry"),
        ({"PUBLIC_BADGE": "yes"}, "deploycheck.E043", "DEPLOYCHECK['PUBLIC_BADGE'] must be True or False."),
        ({"PUBLIC_BADGE": 1}, "deploycheck.E043", "must be True or False."),
    ],
)
def test_bad_status_settings_never_show_the_token(settings, value, error_id, message):
    settings.DEPLOYCHECK = value
    errors = [error for error in checks.run_checks(tags=["deploycheck"]) if (error.id or "").startswith("deploycheck.")]
    assert [error.id for error in errors] == [error_id]
    assert message in errors[0].msg
    with pytest.raises(ImproperlyConfigured, match=error_id) as raised:
        conf.get_settings()
    token = value.get("STATUS_TOKEN")
    if isinstance(token, str | bytes) and token:
        shown = token if isinstance(token, str) else token.decode()
        for text in (errors[0].msg, errors[0].hint or "", str(raised.value)):
            assert shown not in text
            assert shown[:8] not in text
        assert str(len(shown)) not in errors[0].msg
