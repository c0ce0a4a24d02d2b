"""The catalogue: selecting by tag and id, and a project's checks and providers declared on it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from deploycheck import runner
from deploycheck.core.catalogue import Catalogue, SelectionError, catalogue
from deploycheck.core.check import failed, passed
from deploycheck.core.choices import Status


def test_select_by_family_django_tag_and_id():
    by_family = catalogue.select(tags=["django"])
    assert by_family
    assert {check.family for check in by_family} == {"django"}
    security = catalogue.select(tags=["security"])
    assert security
    assert all("security" in check.tags for check in security)
    assert len(security) < len(by_family)
    assert [check.id for check in catalogue.select(check_ids=["security.W012"])] == ["security.W010"]


def test_unknown_tag_and_id_name_what_exists():
    with pytest.raises(SelectionError, match=r"Unknown tag\(s\): nope\. Available tags: .*security"):
        catalogue.select(tags=["nope"])
    with pytest.raises(SelectionError, match=r"Unknown check id\(s\): security\.W999"):
        catalogue.select(check_ids=["security.W999"])


def test_registered_checks_appear_in_the_catalogue_and_tags(registered_checks):
    assert "project" in registered_checks.contents.tags
    assert "tests.answer_is_42" in {check.id for check in registered_checks.select(tags=["project"])}
    # The default catalogue is left alone.
    assert "tests.answer_is_42" not in catalogue.contents.by_id


def test_register_declares_a_project_check_once():
    own = Catalogue()
    register = own.register("project.answer", title="The answer", requires=["settings.DEBUG"])

    def answer(facts):
        return passed()

    assert register(answer) is answer
    assert register(answer) is answer  # a module imported twice declares it again: no clash
    [check] = own.contents.checks
    assert (check.id, check.family, check.requires) == ("project.answer", "project", ("settings.DEBUG",))
    # Another function under the same id: refused where every id is checked, as the catalogue is built.
    own.register("project.answer", title="again")(lambda facts: passed())
    with pytest.raises(ImproperlyConfigured, match=r"Two checks use the id 'project\.answer'"):
        own.contents  # noqa: B018


def test_provides_declares_a_project_provider():
    own = Catalogue()
    own.provides("answer")(lambda request: {"answer.value": 42})
    own.register("project.answer", title="The answer", requires=["answer.value"])(
        lambda facts: passed() if facts["answer.value"] == 42 else failed("no")
    )
    report = runner.execute(checks=own, save=False)
    assert [result.status for result in report.results] == [Status.PASSED]


def test_register_takes_the_keywords_of_family_check_and_doc_url_for_one_release():
    own = Catalogue()
    own.register("project.documented", title="Documented", doc="https://example.org/doc", family="ops")(
        lambda facts: passed()
    )
    with pytest.warns(DeprecationWarning, match=r"register\(doc_url=\.\.\.\) is now doc="):
        own.register("project.old_style", title="Old style", doc_url="https://example.org/old")(lambda facts: passed())
    by_id = own.contents.by_id
    assert (by_id["project.documented"].family, by_id["project.documented"].doc_url) == (
        "ops",
        "https://example.org/doc",
    )
    assert by_id["project.old_style"].doc_url == "https://example.org/old"


def test_a_plain_function_in_the_setting_still_works_for_one_release(settings):
    settings.DEPLOYCHECK = {"CHECKS": ["tests.plain_checks.not_applicable"]}
    with pytest.warns(DeprecationWarning, match=r"plain function tests\.plain_checks\.not_applicable"):
        contents = Catalogue().contents
    assert str(contents.by_id["tests.plain_checks.not_applicable"].title) == "Applies nowhere"


def test_a_selection_follows_what_the_catalogue_holds():
    # Selections are kept with the contents they were made from: a check declared later is selected too.
    own = Catalogue()
    own.register("project.first", title="First", tags=["mine"])(lambda facts: passed())
    assert [check.id for check in own.select(tags=["mine"])] == ["project.first"]
    assert own.contents.selection(["mine"]) is own.contents.selection(["mine"])
    own.register("project.second", title="Second", tags=["mine"], requires=["settings.DEBUG"])(lambda facts: passed())
    selection = own.contents.selection(["mine"])
    assert [check.id for check in selection.checks] == ["project.first", "project.second"]
    assert selection.requires == {"settings.DEBUG"}
    # What the caller does with its list is its own business.
    own.select(tags=["mine"]).clear()
    assert len(own.select(tags=["mine"])) == 2
