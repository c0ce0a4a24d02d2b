"""Renderers: a run's report as text for people or JSON for programs.

The JSON format is documented in the README and versioned by its ``schema`` key: fields
are only ever added within one schema version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import groupby
from typing import Any
from xml.etree import ElementTree

from django.core.management.color import Style, no_style
from django.utils.translation import gettext, ngettext

from deploycheck.core.catalogue import family_rank
from deploycheck.core.check import Check
from deploycheck.core.choices import Level, Outcome, Status, level_name
from deploycheck.core.markup import plain
from deploycheck.core.results import Report, Result, status_label
from deploycheck.core.rules import display_key, is_failing, is_not_evaluated, outcome_label

JSON_SCHEMA = 1
LEVEL_WIDTH = 8


def result_as_dict(result: Result) -> dict[str, Any]:
    return {
        "id": result.message_id,
        "check": result.check_id,
        "family": result.family,
        "title": str(result.title),
        "status": str(result.status),
        "level": level_name(result.level),
        # Words for people, read by programs: the marks of code dropped (deploycheck.core.markup).
        "message": plain(result.message),
        "hint": plain(result.hint) or None,
        "obj": result.obj or None,
        "silenced": result.silenced,
        "app": result.app,
        "doc_url": result.doc_url or None,
        "duration_seconds": round(result.seconds, 6),
        "details": dict(result.details),
    }


def report_as_dict(report: Report) -> dict[str, Any]:
    deploy = report.deploy
    return {
        "schema": JSON_SCHEMA,
        "run": {
            "id": report.run.pk if report.run is not None else None,
            "saved": report.run is not None,
            "not_saved_reason": str(report.not_saved_reason) if report.not_saved_reason is not None else None,
            "started_at": report.started_at.isoformat(),
            "finished_at": report.finished_at.isoformat(),
            "duration_seconds": round(report.duration.total_seconds(), 6),
            "outcome": report.outcome.value,
            "exit_status": report.exit_status,
            "fail_level": level_name(report.fail_level),
            "trigger": str(report.trigger),
            "selection": report.selection,
            "counts": {
                "total": len(report.results),
                **{status.value: report.count(status) for status in Status},
                "silenced": report.silenced_count,
            },
            "versions": {
                "django": deploy.django_version,
                "python": deploy.python_version,
                "deploycheck": deploy.deploycheck_version,
            },
            "heroku_app": deploy.heroku_app or None,
            "release_version": deploy.release_version or None,
            "commit": deploy.commit or None,
            "settings_module": deploy.settings_module or None,
            "hostname": deploy.hostname or None,
        },
        "results": [result_as_dict(result) for result in report.results],
    }


def render_json(report: Report) -> str:
    return json.dumps(report_as_dict(report), indent=2, ensure_ascii=False)


class TextRenderer:
    """Grouped by family, failures first, coloured with Django's management styles."""

    def __init__(self, style: Style | None = None, quiet: bool = False):
        self.style = style or no_style()
        self.quiet = quiet
        self.id_width = 0

    def render(self, report: Report) -> str:
        lines: list[str] = []
        shown = [result for result in report.results if self._is_shown(result)]
        # The one order of results, its families kept together in the catalogue's order.
        shown.sort(key=lambda result: (family_rank(result.family), display_key(result)))
        self.id_width = max((len(result.message_id) for result in shown), default=0)
        for family, family_results in groupby(shown, key=lambda result: result.family):
            lines.append(self.style.MIGRATE_HEADING(self._family_heading(family, report)))
            for result in family_results:
                lines.extend(self._result_lines(result))
            lines.append("")
        lines.extend(self.comparison_lines(report))
        lines.append(self.summary(report))
        return "\n".join(lines)

    def comparison_lines(self, report: Report) -> list[str]:
        """What changed since each check's previous evaluation, as the run page says it."""
        comparison = report.comparison
        if comparison is None or not report.compared_with:
            return []
        runs = ", ".join(str(pk) for pk in report.compared_with)
        lines = [
            self.style.MIGRATE_HEADING(
                ngettext(
                    "Since each check's previous evaluation (run %(runs)s):",
                    "Since each check's previous evaluation (runs %(runs)s):",
                    len(report.compared_with),
                )
                % {"runs": runs}
            )
        ]
        sections = (
            (gettext("Newly failing"), [(result, None) for result in comparison.newly_failing]),
            (gettext("Fixed"), [(result, None) for result in comparison.fixed]),
            (gettext("Still failing"), comparison.still_failing_with_change),
            (gettext("Newly not evaluated"), [(result, None) for result in comparison.newly_not_evaluated]),
            (gettext("Failing, not checked in this run"), [(result, None) for result in comparison.not_checked]),
        )
        for heading, found in sections:
            for result, was in found:
                where = "".join(f" [{part}]" for part in (result.app, result.obj) if part)
                change = f": {was.message} → {result.message}" if was is not None else ""
                lines.append(f"  {heading}: {result.message_id}{where}{change}")
        if len(lines) == 1:
            lines.append("  " + gettext("Nothing changed."))
        return [*lines, ""]

    def _is_shown(self, result: Result) -> bool:
        return not self.quiet or result.is_problem

    def _family_heading(self, family: str, report: Report) -> str:
        results = [result for result in report.results if result.family == family]
        counts = counted(
            results=len(results),
            failed=sum(1 for result in results if is_failing(result)),
            error=sum(1 for result in results if is_not_evaluated(result)),
        )
        return gettext("%(family)s: %(results)s, %(failed)s, %(error)s") % {"family": family, **counts}

    def _status_and_level(self, result: Result) -> str:
        # As wide as the longest status in the reader's language ("non évalué" in French).
        status_width = max(len(str(status.label)) for status in Status)
        status = f"{status_label(result.status):<{status_width}}"
        level = f"{level_name(result.level) or '':<{LEVEL_WIDTH}}"
        if result.silenced:
            return f"{status} {level}"
        colour: Callable[[str], str]
        if result.status == Status.FAILED:
            colour = self.style.ERROR if (result.level or 0) >= Level.ERROR else self.style.WARNING
        else:
            colours: dict[str, Callable[[str], str]] = {
                Status.PASSED: self.style.SUCCESS,
                Status.SKIPPED: self.style.NOTICE,
            }
            colour = colours.get(result.status, self.style.ERROR)
        return colour(f"{status} {level}")

    def _result_lines(self, result: Result) -> list[str]:
        heading = f"  {self._status_and_level(result)} {result.message_id:<{self.id_width}}  {result.title}"
        if result.app:
            heading += f" [{result.app}]"
        if result.silenced:
            heading += " " + gettext("(silenced)")
        lines = [heading]
        if result.status == Status.FAILED:
            lines.append("      " + object_and_message(result))
        elif result.message:
            lines.append(f"      {result.message}")
        if result.hint and result.status == Status.FAILED:
            lines.append("      " + gettext("HINT: %(hint)s") % {"hint": result.hint})
        return lines

    def summary(self, report: Report) -> str:
        counts = summary_counts(
            len(report.results),
            {status: report.count(status) for status in Status},
            report.silenced_count,
        )
        verdict = {
            Outcome.PASSED: self.style.SUCCESS,
            Outcome.FAILED: self.style.ERROR,
            Outcome.ERROR: self.style.WARNING,
            Outcome.INTERRUPTED: self.style.WARNING,
        }[report.outcome](outcome_label(report.outcome).upper())
        saved = (
            gettext("saved as run %(id)s") % {"id": report.run.pk} if report.run is not None else gettext("not saved")
        )
        return gettext("%(verdict)s (fail level %(level)s) - %(counts)s; %(saved)s.") % {
            "verdict": verdict,
            "level": level_name(report.fail_level),
            "counts": counts,
            "saved": saved,
        }


def counted(**counts: int) -> dict[str, str]:
    """Each count as words in the reader's language, such as "1 failed" or "3 not evaluated"."""
    phrases = {
        "results": lambda n: ngettext("%(count)d result", "%(count)d results", n),
        "passed": lambda n: ngettext("%(count)d passed", "%(count)d passed", n),
        "failed": lambda n: ngettext("%(count)d failed", "%(count)d failed", n),
        "skipped": lambda n: ngettext("%(count)d skipped", "%(count)d skipped", n),
        "error": lambda n: ngettext("%(count)d not evaluated", "%(count)d not evaluated", n),
        "silenced": lambda n: ngettext("%(count)d silenced", "%(count)d silenced", n),
    }
    return {name: phrases[name](count) % {"count": count} for name, count in counts.items()}


def summary_counts(total: int, per_status: Mapping[str, int], silenced: int) -> str:
    """ "76 results: 46 passed, 6 failed, 24 skipped, 0 not evaluated, 0 silenced", in the reader's language."""
    return gettext("%(results)s: %(passed)s, %(failed)s, %(skipped)s, %(error)s, %(silenced)s") % counted(
        results=total,
        passed=per_status.get(Status.PASSED, 0),
        failed=per_status.get(Status.FAILED, 0),
        skipped=per_status.get(Status.SKIPPED, 0),
        error=per_status.get(Status.ERROR, 0),
        silenced=silenced,
    )


def render_junit(report: Report) -> str:
    """JUnit XML for CI test reporters: one test suite per family, one test case per check and app.

    A non-silenced failure at or above the fail level is a <failure>; one that could not be
    evaluated is an <error>; a skipped check is <skipped>; failures below the fail level or
    silenced pass, with their messages kept in <system-out>.
    """
    cases: dict[tuple[str, str, str | None], list[Result]] = {}
    for result in report.results:
        cases.setdefault((result.family, result.check_id, result.app), []).append(result)
    root = ElementTree.Element("testsuites", name="deploycheck", time=f"{report.duration.total_seconds():.3f}")
    families = sorted({family for family, _check, _app in cases}, key=family_rank)
    for family in families:
        suite = ElementTree.SubElement(root, "testsuite", name=f"deploycheck.{family}")
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "passed": 0}
        for (case_family, check_id, app), results in cases.items():
            if case_family != family:
                continue
            counts["tests"] += 1
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=f"deploycheck.{family}",
                name=f"{check_id} [{app}]" if app else check_id,
                time=f"{sum(result.seconds for result in results):.6f}",
            )
            counts[_junit_outcome(case, results, report.fail_level)] += 1
        for key in ("tests", "failures", "errors", "skipped"):
            suite.set(key, str(counts[key]))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


def object_and_message(result: Result) -> str:
    # A sentence of its own: French puts a space before the colon.
    return gettext("%(object)s: %(message)s") % {"object": result.obj or "?", "message": result.message}


def _junit_outcome(case: ElementTree.Element, results: list[Result], fail_level: int) -> str:
    def text(selected: Iterable[Result]) -> str:
        return "\n".join(
            f"{result.message_id} {level_name(result.level) or ''} {object_and_message(result)}"
            + ("\n" + gettext("HINT: %(hint)s") % {"hint": result.hint} if result.hint else "")
            for result in selected
        )

    blocking = [result for result in results if result.blocks_at(fail_level)]
    errors = [result for result in results if is_not_evaluated(result)]
    if blocking:
        element = ElementTree.SubElement(case, "failure", message=str(blocking[0].message)[:500])
        element.set("type", level_name(blocking[0].level) or "")
        element.text = text(blocking)
        return "failures"
    if errors:
        element = ElementTree.SubElement(case, "error", message=str(errors[0].message)[:500])
        element.text = text(errors)
        return "errors"
    if all(result.status == Status.SKIPPED for result in results):
        ElementTree.SubElement(case, "skipped", message=str(results[0].message)[:500])
        return "skipped"
    noted = [result for result in results if result.status == Status.FAILED]
    if noted:
        ElementTree.SubElement(case, "system-out").text = text(noted)
    return "passed"


def render_catalogue(checks: Sequence[Check]) -> str:
    rows = [(check.id, check.family, level_name(check.level) or "", str(check.title)) for check in checks]
    widths = [max(len(row[column]) for row in rows) for column in range(3)] if rows else [0, 0, 0]
    return "\n".join(
        f"{check_id:<{widths[0]}}  {family:<{widths[1]}}  {level:<{widths[2]}}  {title}"
        for check_id, family, level, title in rows
    )


def catalogue_as_dicts(checks: Iterable[Check]) -> list[dict[str, Any]]:
    return [
        {
            "id": check.id,
            "aliases": list(check.aliases),
            "family": check.family,
            "title": str(check.title),
            "level": level_name(check.level),
            "hint": plain(check.hint) or None,
            "doc_url": check.doc_url or None,
            "tags": sorted(check.all_tags),
            "selected_by_default": check.selected_by_default,
        }
        for check in checks
    ]
