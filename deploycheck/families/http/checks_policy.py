"""The ``http`` family's Content Security Policy check: the policy the live site really sends.

Judged by deploycheck.core.csp, as release.content_security_policy judges the settings that build it:
a proxy or a view can drop, replace or loosen the header the settings promise.
"""

from __future__ import annotations

from deploycheck.core import csp
from deploycheck.core.check import Finding, failed, passed
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import later as _
from deploycheck.core.sanitising import one_line
from deploycheck.families.http.family import FAMILY, MDN, Probes

ENFORCED = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


@FAMILY.check(
    "http.content_security_policy",
    title=_("An enforced Content-Security-Policy keeps untrusted scripts out"),
    level=Level.WARNING,
    hint=_(
        "Send a Content-Security-Policy whose script-src (or default-src) has no 'unsafe-inline', 'unsafe-eval', "
        "* or bare scheme: on Django 6.0+ ContentSecurityPolicyMiddleware with SECURE_CSP, on Django 5.2 "
        "django-csp; allow inline scripts by nonce."
    ),
    doc=MDN + "Content-Security-Policy",
    needs=("page",),
)
def check_content_security_policy(probes: Probes) -> Finding:
    assert probes.page is not None
    headers = probes.page.headers
    header = headers.get(ENFORCED.lower())
    if header is None:
        if headers.get(REPORT_ONLY.lower()):
            return failed(csp.only_reported(REPORT_ONLY))
        return failed(_("No %(header)s header.") % {"header": ENFORCED})
    weaknesses = csp.shared_script_weaknesses(csp.parse_header(header))
    if weaknesses:
        return failed(csp.lets_in(ENFORCED, weaknesses))
    return passed(one_line(header))
