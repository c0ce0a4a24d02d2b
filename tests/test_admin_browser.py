"""End to end in a real headless Chromium: log in, start a run, open it, the overview and a history.

Screenshots of each page are saved under test-artifacts/<Django version>/ for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import django
import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone, translation

from deploycheck.core.choices import Level, Status, Trigger
from deploycheck.core.deploy_info import DeployInfo
from deploycheck.core.results import Report, Result
from deploycheck.models import CheckRun
from deploycheck.store import saving as storage

# One folder per Django version, so that the screenshots of two versions can be put side by side.
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / django.get_version()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def chromium(language: str) -> Iterator[object]:
    if not (CHROMIUM and CHROMEDRIVER):
        message = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        f"--lang={language}",
    ):
        options.add_argument(flag)
    # What the browser asks for in Accept-Language, which LocaleMiddleware follows.
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser() -> Iterator[object]:
    yield from chromium("en")


@pytest.fixture
def french_browser() -> Iterator[object]:
    yield from chromium("fr")


def log_in(driver: Any, url: str, *permissions: str) -> User:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    user = User.objects.create_user("weareone", password="a-long-test-password", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    driver.get(url)
    driver.find_element(By.NAME, "username").send_keys("weareone")
    driver.find_element(By.NAME, "password").send_keys("a-long-test-password")
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    # The click may return before the login's redirect is followed.
    WebDriverWait(driver, 30).until(lambda current: "/login/" not in current.current_url)
    return user


def test_log_in_run_open_the_run_the_overview_and_a_history(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    driver: Any = browser
    user = User.objects.create_user("weareone", password="a-long-test-password", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_checkrun", "run_checks"]))

    driver.get(f"{live_server.url}/admin/deploycheck/checkrun/")
    assert "/admin/login/" in driver.current_url
    driver.find_element(By.NAME, "username").send_keys("weareone")
    driver.find_element(By.NAME, "password").send_keys("a-long-test-password")
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    assert driver.current_url.endswith("/admin/deploycheck/checkrun/")
    driver.save_screenshot(str(ARTIFACTS / "1-runs-list-empty.png"))

    driver.find_element(By.ID, "deploycheck-run-now").click()
    # The click returns before the run finishes: wait for the redirect to its page.
    WebDriverWait(driver, 30).until(lambda current: current.current_url.endswith("/change/"))
    run = CheckRun.objects.get()
    assert (run.trigger, run.triggered_by) == (Trigger.ADMIN, user.get_username())
    assert driver.current_url.endswith(f"/admin/deploycheck/checkrun/{run.pk}/change/")
    message = driver.find_element(By.CSS_SELECTOR, "ul.messagelist li").text
    assert message.startswith(f"Run {run.pk} finished")
    # Problems first; passes folded until their summary is opened, with no script.
    assert driver.find_element(By.ID, "deploycheck-problems").is_displayed()
    passed = driver.find_element(By.ID, "deploycheck-passed")
    first_pass = passed.find_element(By.CSS_SELECTOR, "tbody tr")
    assert not first_pass.is_displayed()
    passed.find_element(By.TAG_NAME, "summary").click()
    assert first_pass.is_displayed()
    driver.save_screenshot(str(ARTIFACTS / "2-run.png"))

    driver.find_element(By.LINK_TEXT, "Overview").click()
    assert driver.current_url.endswith("/admin/deploycheck/checkrun/overview/")
    grid = driver.find_element(By.ID, "deploycheck-grid")
    assert "security.W018" in grid.text
    driver.save_screenshot(str(ARTIFACTS / "3-overview.png"))

    grid.find_element(By.LINK_TEXT, "security.W018").click()
    # This site's history of the check, with the way back to the overview.
    assert driver.current_url.endswith("/admin/deploycheck/checkrun/history/security.W018/?heroku_app=&from=overview")
    timeline = driver.find_element(By.ID, "deploycheck-timeline")
    assert f"Run {run.pk}" in timeline.text
    driver.save_screenshot(str(ARTIFACTS / "4-history.png"))

    driver.get(f"{live_server.url}/admin/deploycheck/checkrun/")
    assert (
        "passed" in driver.find_element(By.ID, "result_list").text
        or "failed" in driver.find_element(By.ID, "result_list").text
    )
    # The admin's dark theme, as its theme toggle stores it.
    driver.execute_script("localStorage.setItem('theme', 'dark')")
    driver.get(f"{live_server.url}/admin/deploycheck/checkrun/overview/")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("data-theme") == "dark"
    driver.save_screenshot(str(ARTIFACTS / "6-overview-dark.png"))
    driver.execute_script("localStorage.setItem('theme', 'light')")

    driver.set_window_size(420, 900)
    driver.get(f"{live_server.url}/admin/deploycheck/checkrun/{run.pk}/change/")
    driver.save_screenshot(str(ARTIFACTS / "5-run-narrow.png"))


def test_a_french_staff_member_reads_a_run_on_a_desktop_and_a_phone(french_browser, live_server, secure_settings):
    from selenium.webdriver.common.by import By

    from deploycheck import runner

    secure_settings.DEBUG = True
    secure_settings.SECURE_SSL_REDIRECT = False  # the live server speaks plain HTTP
    # A release phase with English settings: stored without a language, it reads in French.
    with translation.override("en"):
        report = runner.execute(trigger=Trigger.RELEASE, user="release")
    assert report.run is not None
    driver: Any = french_browser
    page = f"{live_server.url}/admin/deploycheck/checkrun/{report.run.pk}/change/"
    log_in(driver, page, "view_checkrun")
    assert driver.current_url == page
    assert driver.title.startswith(f"Exécution {report.run.pk} (réussie)")
    summary = driver.find_element(By.ID, "content").text
    # DEBUG and the HTTPS redirect: two failed warnings; French counts zero in the singular.
    assert re.search(r"\d+ résultats : \d+ réussis, 2 échoués, \d+ ignorés, 0 non évalué, 0 en sourdine", summary)
    assert "DEBUG est désactivé" in summary
    assert "DEBUG vaut True : les pages d'erreur montrent les réglages et le code à tout le monde." in summary
    assert "DEBUG is off" not in summary
    for theme in ("light", "dark"):
        driver.execute_script(f"localStorage.setItem('theme', '{theme}')")
        for width, device in ((DESKTOP, "desktop"), (PHONE, "phone")):
            emulate(driver, width, "light")
            driver.get(page)
            assert not layout_problems(driver, f"fr {device} {theme}", theme, device)
            driver.save_screenshot(str(ARTIFACTS / f"7-run-fr-{device}-{theme}.png"))


def test_runs_from_a_newer_version_and_missing_tables_in_every_layout(browser, live_server, secure_settings):
    """What a newer version stored reads as text; without the tables, the history says why (503)."""
    from django.db import connection
    from selenium.webdriver.common.by import By

    from deploycheck import runner
    from deploycheck.models import CheckResult

    secure_settings.SECURE_SSL_REDIRECT = False  # the live server speaks plain HTTP
    report = runner.execute(check_ids=["security.W018", "security.W001"])
    assert report.run is not None
    CheckRun.objects.filter(pk=report.run.pk).update(outcome="quarantined")
    CheckResult.objects.filter(run=report.run, check_id="security.W018").update(status="flaky")
    driver: Any = browser
    changelist = f"{live_server.url}/admin/deploycheck/checkrun/"
    log_in(driver, changelist, "view_checkrun")
    pages = {"newer-list": changelist, "newer-run": f"{changelist}{report.run.pk}/change/"}
    for theme in ("light", "dark"):
        driver.execute_script(f"localStorage.setItem('theme', '{theme}')")
        for width, device in ((DESKTOP, "desktop"), (PHONE, "phone")):
            emulate(driver, width, "light")
            for name, page in pages.items():
                driver.get(page)
                assert "quarantined" in driver.find_element(By.ID, "content").text
                assert not layout_problems(driver, f"{name} {device} {theme}", theme, device)
                driver.save_screenshot(str(ARTIFACTS / f"8-{name}-{device}-{theme}.png"))
    driver.get(pages["newer-run"])
    assert "flaky" in driver.find_element(By.ID, "content").text
    with connection.schema_editor() as editor:
        editor.delete_model(CheckResult)
        editor.delete_model(CheckRun)
    try:
        emulate(driver, PHONE, "light")
        driver.get(changelist)
        assert "manage.py migrate" in driver.find_element(By.CLASS_NAME, "errornote").text
        driver.save_screenshot(str(ARTIFACTS / "8-unavailable-phone.png"))
    finally:
        with connection.schema_editor() as editor:
            editor.create_model(CheckRun)
            editor.create_model(CheckResult)


# Issue 12, phone and dark mode: every page at 390 px and at 1280 px, light and dark, in both
# languages; nothing wider than the viewport and every status text at WCAG AA (4.5:1).

PHONE, DESKTOP = 390, 1280
AA = 4.5
# Status texts whose contrast is measured: badges, the grid's cells, quiet words next to them, the
# chart's labels and its legend.
STATUS_TEXTS = ", ".join(
    (
        ".deploycheck-badge",
        ".deploycheck-grid td.deploycheck-cell",
        ".deploycheck-quiet",
        ".deploycheck-hint",
        ".deploycheck-family",
        ".deploycheck-silenced",
        ".deploycheck-card dt",
        ".deploycheck-summary dt",
        ".deploycheck-chart text",
        ".deploycheck-legend li",
        ".deploycheck-results th",
        ".errornote",
    )
)
LONG_ID = "heroku.config_vars.DATABASE_CONNECTION_POOL_MAX_SIZE_IS_AT_LEAST_THE_NUMBER_OF_WEB_WORKERS"
LONG_URL = (
    "https://weareone-staging.herokuapp.com/accounts/password/reset/confirm/"
    "Mg-c2x9ab-0123456789abcdef0123456789abcdef/?next=/dashboard/settings/notifications/"
)

# What the page reports of itself: the document's width, and each status text's colour with the
# background colours behind it, innermost first, up to the first opaque one.
MEASURE = """
const texts = [];
for (const element of document.querySelectorAll(arguments[0])) {
  if (!element.getClientRects().length || !element.textContent.trim()) continue;
  const style = getComputedStyle(element);
  if (style.visibility === "hidden") continue;
  const backgrounds = [];
  for (let node = element; node; node = node.parentElement) {
    const background = getComputedStyle(node).backgroundColor;
    backgrounds.push(background);
    if (/^rgb\\(/.test(background)) break;
  }
  const svg = element instanceof SVGElement;
  texts.push({
    text: element.textContent.trim().slice(0, 40),
    element: element.tagName.toLowerCase() + "." + (svg ? element.getAttribute("class") || "" : element.className),
    color: svg ? style.fill : style.color,
    backgrounds: backgrounds,
  });
}
const wide = [];
for (const element of document.querySelectorAll("body *")) {
  const box = element.getBoundingClientRect();
  const spills = element.clientWidth > 0 && element.scrollWidth > element.clientWidth
    && getComputedStyle(element).overflowX === "visible";
  if ((box.right > window.innerWidth + 0.5 && box.width) || spills) {
    wide.push(element.tagName.toLowerCase() + "#" + element.id + "." + element.className + " " + Math.round(box.right));
  }
}
return {
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  bodyBg: getComputedStyle(document.documentElement).getPropertyValue("--body-bg").trim(),
  texts: texts,
  wide: wide.slice(0, 8),
  // A bar with an unreadable coordinate (a decimal comma) is not drawn at all.
  bars: Array.from(document.querySelectorAll(".deploycheck-chart rect[class]"), bar => bar.getBBox().height),
};
"""

RGBA = re.compile(r"rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)")


def rgba(css: str) -> tuple[float, float, float, float]:
    match = RGBA.fullmatch(css)
    assert match, f"not an rgb() colour: {css}"
    red, green, blue, alpha = match.groups()
    return float(red), float(green), float(blue), float(alpha if alpha is not None else 1)


def over(top: tuple[float, float, float, float], below: tuple[float, float, float]) -> tuple[float, float, float]:
    """``top`` painted over an opaque ``below``."""
    alpha = top[3]
    return (
        top[0] * alpha + below[0] * (1 - alpha),
        top[1] * alpha + below[1] * (1 - alpha),
        top[2] * alpha + below[2] * (1 - alpha),
    )


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(text: str, backgrounds: list[str]) -> float:
    """The contrast ratio of a text colour over its backgrounds (innermost first) on a white canvas."""
    behind: tuple[float, float, float] = (255.0, 255.0, 255.0)
    for background in reversed(backgrounds):
        behind = over(rgba(background), behind)
    lighter, darker = sorted((luminance(over(rgba(text), behind)), luminance(behind)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def result(check_id: str, status: str = "failed", **fields: Any) -> Result:
    """A result as a family gives it: a failure at ERROR unless told otherwise."""
    fields.setdefault("level", Level.ERROR if status == Status.FAILED else None)
    fields.setdefault("family", check_id.split(".")[0])
    return Result.made_safe(check_id=check_id, title=f"Title of {check_id}", status=status, **fields)


def stored(
    app: str, minutes_ago: int, *results: Result, release: str | None = None, selection: dict[str, Any] | None = None
) -> CheckRun:
    """A run of ``app`` ("" for this site) stored as the runner stores it; its release v<1000 - minutes_ago>."""
    finished = timezone.now() - timedelta(minutes=minutes_ago)
    if release is None:
        release = f"v{1000 - minutes_ago}" if app else ""
    deploy = replace(
        DeployInfo.from_environment(),
        heroku_app=app,
        release_version=release,
        commit=f"{minutes_ago:040x}" if app else "",
    )
    started = finished - timedelta(seconds=3.5)
    report = Report(results, started, finished, Level.ERROR, Trigger.RELEASE, deploy, selection or {})
    run = storage.store(report).run
    assert run is not None
    return run


def seed_runs() -> dict[str, CheckRun]:
    """Runs of two Heroku apps and of this site, with every status, level, long ids and long words."""
    passes = [result(f"security.W{number:03}", Status.PASSED) for number in range(1, 9)]
    latest_problems = [
        result("security.W018", level=Level.WARNING, hint="Set `DEBUG = False` in production."),
        result(LONG_ID, message=f"The pool is too small; see {LONG_URL}", obj="web.1", app="weareone"),
        result("http.hsts", Status.ERROR, message=f"The site did not answer within 10 s: {LONG_URL}"),
        result("heroku.error_pages", level=Level.CRITICAL, doc_url="https://devcenter.heroku.com/articles/error-pages"),
        result("security.W004", level=Level.WARNING, silenced=True),
        result("heroku.stack", Status.SKIPPED, message="No Heroku API token (set HEROKU_API_KEY)."),
    ]
    production = [
        stored("weareone", 90, *passes, result(LONG_ID, Status.PASSED), result("http.hsts", Status.PASSED)),
        stored(
            "weareone", 60, *passes, result("security.W018", level=Level.WARNING), result("http.hsts", Status.ERROR)
        ),
        stored("weareone", 5, *passes, *latest_problems),
    ]
    stored("weareone-staging", 70, *passes[:4], result("security.W018", level=Level.WARNING))
    stored("weareone-staging", 20, *passes[:4], result("security.W018", Status.PASSED))
    stored("", 40, *passes[:2], result("release.unapplied_migrations", Status.SKIPPED))
    # A release phase's partial run after the full one: it passes, the app still fails.
    partial = stored("weareone", 1, *passes[:3], selection={"tags": ["security"], "checks": []})
    return {"latest": production[-1], "partial": partial}


@pytest.fixture(params=["en", "fr"])
def any_browser(request: pytest.FixtureRequest) -> Iterator[tuple[Any, str]]:
    """One browser per language, reused for every page, theme and size."""
    for driver in chromium(request.param):
        yield driver, request.param


def emulate(driver: Any, width: int, scheme: str) -> None:
    """A phone (mobile viewport, 390 px) or a desktop, and the system's colour scheme."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 768},
    )
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )


def full_page_screenshot(driver: Any, path: Path) -> None:
    import base64

    width, height = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 8000), "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def layout_problems(
    driver: Any, where: str, theme: str, device: str, worst: dict[str, tuple[float, str]] | None = None
) -> list[object]:
    """What is wrong with the page shown: wider than the viewport, a status text below AA, a bar not drawn.

    ``worst`` keeps the lowest contrast seen per theme, and where."""
    # Folded sections opened: their badges and long ids must read and fit too.
    driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    measured = driver.execute_script(MEASURE, STATUS_TEXTS)
    assert measured["bodyBg"] == ("#121212" if theme == "dark" else "#fff"), where
    problems: list[object] = []
    if not all(measured["bars"]):
        problems.append((where, "a bar of a chart is not drawn", measured["bars"]))
    # A phone's browser widens its viewport to show a page that is too wide: that is a failure too.
    width = PHONE if device == "phone" else DESKTOP
    if not measured["scrollWidth"] <= measured["innerWidth"] == width:
        problems.append((where, "wider than the viewport", measured["scrollWidth"], measured["wide"]))
    for text in measured["texts"]:
        ratio = contrast(text["color"], text["backgrounds"])
        if ratio < AA:
            problems.append((where, round(ratio, 2), text))
        if worst is not None:
            worst[theme] = min(worst.get(theme, (21.0, "")), (round(ratio, 2), f"{where}: {text['element']}"))
    return problems


def test_every_page_fits_a_phone_and_every_status_reads_in_both_themes(any_browser, live_server):
    from django.db import connection

    from deploycheck.models import CheckResult

    driver, language = any_browser
    seeded = seed_runs()
    latest = seeded["latest"]
    changelist = f"{live_server.url}/admin/deploycheck/checkrun/"
    pages = {
        "partial-run": f"{changelist}{seeded['partial'].pk}/change/",
        "runs": changelist,
        "runs-weareone": f"{changelist}?heroku_app=weareone",
        "run": f"{changelist}{latest.pk}/change/",
        "history": f"{changelist}history/{LONG_ID}/",
        "overview": f"{changelist}overview/",
    }
    log_in(driver, changelist, "view_checkrun", "run_checks")
    worst: dict[str, tuple[float, str]] = {}
    # Every page is measured before the test fails, so that one run lists every problem.
    problems: list[object] = []

    def check(name: str, theme: str, device: str) -> None:
        problems.extend(layout_problems(driver, f"{name} {language} {device} {theme}", theme, device, worst))
        full_page_screenshot(driver, ARTIFACTS / f"12-{name}-{language}-{device}-{theme}.png")

    def every_layout(visit: Callable[[str, str], None]) -> None:
        for theme in ("light", "dark"):
            # English follows the system's scheme (the admin's "auto"); French chose its theme with
            # the admin's toggle, against the system's, which the toggle must win over.
            if language == "en":
                stored_theme, scheme = "auto", theme
            else:
                stored_theme, scheme = theme, "dark" if theme == "light" else "light"
            driver.execute_script("localStorage.setItem('theme', arguments[0])", stored_theme)
            for width, device in ((DESKTOP, "desktop"), (PHONE, "phone")):
                emulate(driver, width, scheme)
                visit(theme, device)

    def visit_all(theme: str, device: str) -> None:
        for name, url in pages.items():
            driver.get(url)
            assert "/login/" not in driver.current_url
            check(name, theme, device)

    every_layout(visit_all)
    assert driver.find_element("id", "deploycheck-grid")

    with connection.schema_editor() as editor:
        editor.delete_model(CheckResult)
        editor.delete_model(CheckRun)
    try:

        def visit_unavailable(theme: str, device: str) -> None:
            driver.get(changelist)
            assert "migrate" in driver.find_element("class name", "errornote").text
            check("unavailable", theme, device)

        every_layout(visit_unavailable)
    finally:
        with connection.schema_editor() as editor:
            editor.create_model(CheckRun)
            editor.create_model(CheckResult)
    print(f"lowest contrast, {language}:", worst)
    assert not problems, "\n".join(map(str, problems))


# Issue 19: Django 6.1 changed the admin's page head (breadcrumbs as a list, object tools in a row
# beside the title). deploycheck's pages are measured against Django's own changelist, in the same
# browser, so that whichever admin is installed, its look is the reference.

# The breadcrumb bar as the browser draws it: where it is, and the styles that make it the admin's bar.
BAR = """
const bar = document.querySelector(".breadcrumbs");
if (!bar) return null;
const box = bar.getBoundingClientRect();
const style = getComputedStyle(bar);
const link = bar.querySelector("a");
return {
  tag: bar.tagName.toLowerCase(),
  inNav: !!bar.closest("nav"),
  // Whole pixels; the right margin is measured from the page's width without its scrollbar, as a
  // long page has one and the admin's short list of users may not.
  left: Math.round(box.left), top: Math.round(box.top), height: Math.round(box.height),
  rightMargin: Math.round(document.documentElement.clientWidth - box.right),
  background: style.backgroundColor, color: style.color,
  padding: [style.paddingTop, style.paddingRight, style.paddingBottom, style.paddingLeft].join(" "),
  fontSize: style.fontSize,
  linkColor: link ? getComputedStyle(link).color : null,
  text: bar.textContent.replace(/\\s+/g, " ").trim(),
};
"""

# The title's lines (the distinct tops of its text's line boxes), and whether an object tool covers it.
TITLE = """
const title = document.querySelector("#content h1");
const range = document.createRange();
range.selectNodeContents(title);
const rects = Array.from(range.getClientRects()).filter(rect => rect.width > 0);
const lines = new Set(rects.map(rect => Math.round(rect.top))).size;
const tools = Array.from(document.querySelectorAll(".object-tools li"), li => li.getBoundingClientRect());
const covered = rects.some(text => tools.some(tool => text.left < tool.right && tool.left < text.right
  && text.top < tool.bottom && tool.top < text.bottom));
return {lines: lines, covered: covered, text: title.textContent.trim()};
"""

# Every column of the runs list: its header cell and its cells, against the viewport and against the
# visible part of the results' scrolling container.
COLUMNS = """
const results = document.querySelector("#changelist-form .results");
const frame = results.getBoundingClientRect();
const visibleRight = Math.min(window.innerWidth, frame.left + results.clientWidth);
const columns = [];
for (const header of document.querySelectorAll("#result_list thead th")) {
  // A field's header is th.column-<field> over td.field-<field> (or th, for the link); the selection
  // checkboxes, shown to those who may delete runs, are th.action-checkbox-column over td.action-checkbox.
  const column = Array.from(header.classList).find(name => name.startsWith("column-"));
  const cellClass = column ? column.replace(/^column-/, "field-") : "action-checkbox";
  const cells = [header, ...document.querySelectorAll("#result_list tbody ." + cellClass)];
  const right = Math.max(...cells.map(cell => cell.getBoundingClientRect().right));
  columns.push({name: column || header.className, right: Math.round(right)});
}
return {
  columns: columns,
  visibleRight: Math.round(visibleRight),
  pageWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
};
"""


def head_problems(reference: dict[str, Any], bar: dict[str, Any] | None, where: str, device: str) -> list[object]:
    """How a page's breadcrumb bar differs from the admin's own, measured in the same layout."""
    if bar is None:
        return [(where, "no breadcrumb bar")]
    problems: list[object] = []
    styles = ("tag", "inNav", "background", "color", "padding", "fontSize", "linkColor")
    for key in (*styles, "left", "top", "rightMargin"):
        if bar[key] != reference[key]:
            problems.append((where, f"breadcrumbs' {key}", bar[key], "instead of the admin's", reference[key]))
    # As high on a desktop, where each path is one line; a phone wraps a path by its length.
    if device == "desktop" and bar["height"] != reference["height"]:
        problems.append((where, "breadcrumbs' height", bar["height"], "instead of the admin's", reference["height"]))
    return problems


def test_the_page_head_and_the_runs_list_follow_the_installed_admin(any_browser, live_server):
    """Each of deploycheck's pages against Django's own user changelist, at 1280 and 390 px, light and dark.

    - The breadcrumb bar is the admin's: the same element (``div`` up to Django 6.0, ``ol`` in a
      ``nav`` from 6.1), the same background, colours, padding, position and width as the bar of
      the admin's user changelist in the same layout, and as high on a desktop.
    - The runs list's title is on one line at 1280 px, and no page's title is covered by an object tool.
    - No column of the runs list is cut off or scrolled out of view. A column is in view when its
      header cell and every cell of it end left of both the viewport's right edge and the right edge
      of the visible part of the results' scrolling container (``.results``), so that nothing of it
      is hidden behind a horizontal scroll, and the page itself is no wider than the viewport. That is
      stricter than Django's changelist, whose table may scroll inside ``.results``: at 1280 px the
      runs list's short cells fit beside the filters and the admin's menu, and at 390 px each run is a
      card (see admin.css), so there is nothing to scroll to.
    """
    driver, language = any_browser
    latest = seed_runs()["latest"]
    admin = f"{live_server.url}/admin/"
    changelist = f"{admin}deploycheck/checkrun/"
    pages = {
        "runs": changelist,
        "run": f"{changelist}{latest.pk}/change/",
        "overview": f"{changelist}overview/",
        "history": f"{changelist}history/security.W018/",
    }
    # A superuser: the admin's own user changelist to compare with, the run button among the runs
    # list's tools, and the widest runs list, with the selection checkboxes of those who may delete.
    user = log_in(driver, changelist)
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    folder = ARTIFACTS / "19-page-head"
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[object] = []
    driver.execute_script("localStorage.setItem('theme', 'auto')")
    for scheme in ("light", "dark"):
        for width, device in ((DESKTOP, "desktop"), (PHONE, "phone")):
            emulate(driver, width, scheme)
            driver.get(f"{admin}auth/user/")
            reference = driver.execute_script(BAR)
            assert reference, "the admin's user changelist has no breadcrumb bar"
            full_page_screenshot(driver, folder / f"admin-users-{language}-{device}-{scheme}.png")
            for name, url in pages.items():
                driver.get(url)
                where = f"{name} {language} {device} {scheme}"
                assert "/login/" not in driver.current_url, where
                problems.extend(head_problems(reference, driver.execute_script(BAR), where, device))
                title = driver.execute_script(TITLE)
                if title["covered"]:
                    problems.append((where, "an object tool covers the title", title["text"]))
                if name == "runs":
                    if device == "desktop" and title["lines"] != 1:
                        problems.append((where, "the title is on", title["lines"], "lines", title["text"]))
                    columns = driver.execute_script(COLUMNS)
                    if columns["pageWidth"] > columns["innerWidth"]:
                        problems.append((where, "the page is wider than the viewport", columns["pageWidth"]))
                    limit = columns["visibleRight"]
                    cut = [column for column in columns["columns"] if column["right"] > limit]
                    if cut or not columns["columns"]:
                        problems.append((where, "columns out of view, right of", limit, cut or "no column"))
                full_page_screenshot(driver, folder / f"{name}-{language}-{device}-{scheme}.png")
    assert not problems, "\n".join(map(str, problems))


# Issue 20, items 5 and 6: a chart that shows trouble, and a check's history per app. Production's
# latest run has 1 failure among 80 passes: its bar must show it at a glance, in every layout.

TROUBLE_PASSES = 80

# The chart's bars and the grid's run columns as the browser draws them, left to right.
CHART = """
const section = document.getElementById(arguments[0]);
const heights = (bar, kind) => Math.max(0, ...Array.from(bar.querySelectorAll("rect." + kind),
  rect => rect.getBoundingClientRect().height));
const bars = Array.from(section.querySelectorAll(".deploycheck-chart a.deploycheck-bar"), bar => ({
  href: bar.getAttribute("href"),
  title: bar.querySelector("title").textContent,
  left: bar.getBoundingClientRect().left,
  failed: heights(bar, "failed"),
  notEvaluated: heights(bar, "not_evaluated"),
  passed: heights(bar, "passed"),
  labels: Array.from(bar.querySelectorAll("text tspan"), tspan => tspan.textContent),
}));
const columns = Array.from(section.querySelectorAll(".deploycheck-grid thead th.deploycheck-run-label a"), link => ({
  href: link.getAttribute("href"), title: link.title, text: link.textContent.trim(),
  left: link.getBoundingClientRect().left,
}));
return {bars: bars, columns: columns};
"""


def seed_trouble() -> dict[str, CheckRun]:
    """Production: 12 deploys 10 hours apart, 80 passes each; the latest fails 1 check, an older one
    could not evaluate 1, another failed 2. Staging passes; this site has no release."""
    passes = [result(f"release.check_{number:02}", Status.PASSED) for number in range(TROUBLE_PASSES)]
    unreachable = result("http.hsts", Status.ERROR, message="The site did not answer within 10 s.")
    problems = {
        11: [result("security.W018", level=Level.WARNING, hint="Set `DEBUG = False` in production.")],
        7: [result("security.W018", Status.PASSED), unreachable],
        4: [result("security.W018"), result("security.W004", level=Level.WARNING)],
    }
    production = [
        stored(
            "weareone",
            (11 - index) * 600 + 5,
            *passes,
            *problems.get(index, [result("security.W018", Status.PASSED)]),
            release=f"v{131 + index}",
        )
        for index in range(12)
    ]
    staging = [
        stored(
            "weareone-staging",
            (3 - index) * 600 + 30,
            *passes,
            result("security.W018", Status.PASSED),
            release=f"v{88 + index}",
        )
        for index in range(4)
    ]
    site = stored("", 200, *passes[:10], result("security.W018", Status.PASSED))
    return {"latest": production[-1], "staging": staging[-1], "site": site}


def each_layout(driver: Any, language: str) -> Iterator[tuple[str, str]]:
    """Light and dark, desktop and phone: English follows the system's scheme (the admin's "auto"),
    French chose its theme with the admin's toggle, against the system's."""
    for theme in ("light", "dark"):
        if language == "en":
            stored_theme, scheme = "auto", theme
        else:
            stored_theme, scheme = theme, "dark" if theme == "light" else "light"
        driver.execute_script("localStorage.setItem('theme', arguments[0])", stored_theme)
        for width, device in ((DESKTOP, "desktop"), (PHONE, "phone")):
            emulate(driver, width, scheme)
            yield theme, device


def chart_problems(measured: dict[str, Any], latest: CheckRun, where: str) -> list[object]:
    """What is wrong with production's chart and grid: direction, labels, a failure too thin to see."""
    from django.urls import reverse

    bars, columns = measured["bars"], measured["columns"]
    problems: list[object] = []
    newest = reverse("admin:deploycheck_checkrun_change", args=[latest.pk])
    if [bar["left"] for bar in bars] != sorted(bar["left"] for bar in bars) or bars[0]["href"] != newest:
        problems.append((where, "the chart's first bar is not the newest run", bars[0]["href"]))
    if [column["left"] for column in columns] != sorted(column["left"] for column in columns):
        problems.append((where, "the grid's runs are not left to right"))
    if columns[0]["href"] != newest:
        problems.append((where, "the grid's first run is not the newest", columns[0]["href"]))
    first = bars[0]
    # 1 failure among 80 passes, at least a few pixels high, even on a phone.
    if first["failed"] < 4 or first["passed"] == 0:
        problems.append((where, "one failure among the passes is not visible", first))
    for text in (first["title"], columns[0]["title"], columns[0]["text"], " ".join(first["labels"])):
        if latest.release_version not in text or (str(latest.pk) not in text):
            problems.append((where, "the newest run is not named by release and run", text))
    if not any(bar["notEvaluated"] >= 4 for bar in bars):
        problems.append((where, "the check not evaluated is not visible", [bar["notEvaluated"] for bar in bars]))
    return problems


def test_a_failure_among_80_passes_stands_out_and_a_history_is_per_app(any_browser, live_server):
    from selenium.webdriver.common.by import By

    driver, language = any_browser
    seeded = seed_trouble()
    latest = seeded["latest"]
    changelist = f"{live_server.url}/admin/deploycheck/checkrun/"
    log_in(driver, changelist, "view_checkrun")
    problems: list[object] = []
    for theme, device in each_layout(driver, language):
        where = f"{language} {device} {theme}"
        driver.get(f"{changelist}overview/")
        problems.extend(chart_problems(driver.execute_script(CHART, "deploycheck-app-weareone"), latest, where))
        problems.extend(layout_problems(driver, f"overview {where}", theme, device))
        full_page_screenshot(driver, ARTIFACTS / f"20-overview-{language}-{device}-{theme}.png")
        # From production's grid to production's history of the check, and back to the overview.
        section = driver.find_element(By.ID, "deploycheck-app-weareone")
        section.find_element(By.LINK_TEXT, "security.W018").click()
        assert "heroku_app=weareone&from=overview" in driver.current_url, where
        timeline = driver.find_element(By.ID, "deploycheck-timeline").find_elements(By.TAG_NAME, "li")
        assert len(timeline) == 12, where
        selected = driver.find_element(By.CSS_SELECTOR, "#deploycheck-app-filter [aria-current=page]")
        assert selected.text == "weareone", where
        back = driver.find_elements(By.CSS_SELECTOR, ".breadcrumbs a")[-1]
        assert back.get_attribute("href").endswith("/overview/#deploycheck-app-weareone"), where
        problems.extend(layout_problems(driver, f"history {where}", theme, device))
        full_page_screenshot(driver, ARTIFACTS / f"20-history-{language}-{device}-{theme}.png")

    # From the run's page: the run's app, and the breadcrumb back to the run, kept across the filter.
    emulate(driver, DESKTOP, "light")
    driver.get(f"{changelist}{latest.pk}/change/")
    driver.find_element(By.CSS_SELECTOR, "#deploycheck-problems a[href*='history/security.W018/']").click()
    assert driver.current_url.endswith(f"?heroku_app=weareone&from=run-{latest.pk}")
    driver.find_element(By.LINK_TEXT, "weareone-staging").click()
    assert driver.current_url.endswith(f"?heroku_app=weareone-staging&from=run-{latest.pk}")
    assert len(driver.find_element(By.ID, "deploycheck-timeline").find_elements(By.TAG_NAME, "li")) == 4
    back = driver.find_elements(By.CSS_SELECTOR, ".breadcrumbs a")[-1]
    assert back.get_attribute("href").endswith(f"/checkrun/{latest.pk}/change/")
    assert str(latest.pk) in back.text
    full_page_screenshot(driver, ARTIFACTS / f"20-history-from-run-{language}.png")
    assert not problems, "\n".join(map(str, problems))
