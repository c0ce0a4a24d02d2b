"""The ``http`` family's certificate check: the certificate each URL's host really serves.

Heroku's ``heroku.ssl`` reads what the Platform API says of the app's certificates; this reads
what a browser gets, through whatever CDN or proxy stands in front. A certificate that fails
verification is a failure that says why; one that could not be fetched at all is an error.
"""

from __future__ import annotations

from datetime import timedelta

from deploycheck.core.check import Finding, failed, skipped
from deploycheck.core.choices import Level, Status
from deploycheck.core.deferred_text import Message
from deploycheck.core.deferred_text import later as _
from deploycheck.core.deferred_text import plural_later as ngettext
from deploycheck.core.sanitising import one_line
from deploycheck.families.http.certificate import Certificate
from deploycheck.families.http.family import FAMILY, Probes

WARNING_DAYS = 30
ERROR_DAYS = 7

# OpenSSL's verification codes (X509_V_ERR_*) said in the reader's language; others keep OpenSSL's words.
_VERIFY_REASONS = {
    9: _("the certificate is not valid yet"),
    10: _("the certificate has expired"),
    18: _("the certificate is self-signed"),
    19: _("a self-signed certificate is in the chain"),
    20: _("no trusted authority issued it (unable to get the local issuer certificate)"),
    21: _("no trusted authority issued it (unable to verify the first certificate)"),
    23: _("the certificate has been revoked"),
    62: _("it is not valid for this host name"),
    64: _("it is not valid for this IP address"),
}
# The codes that say the certificate is for other names than the URL's host.
_OTHER_HOST = frozenset({62, 64})


def _verify_reason(certificate: Certificate) -> Message | str:
    known = _VERIFY_REASONS.get(certificate.verify_code or 0)
    # OpenSSL ends some of its messages with a full stop; the sentence that quotes them has its own.
    return known if known is not None else one_line(certificate.verify_message or "", 200).rstrip(".")


# Renewing is no remedy for a certificate nobody trusts, or one issued for another name.
UNTRUSTED_HINT = _(
    "Serve a certificate that a public authority issued for every host the site answers on, with its "
    "intermediate certificates; on Heroku, Automated Certificate Management does both (heroku certs:auto:enable)."
)


@FAMILY.check(
    "http.certificate",
    title=_("The certificate the site serves is trusted, covers its host and is not about to expire"),
    level=Level.ERROR,
    hint=_(
        "Renew the certificate before it expires, for every host the site answers on; on Heroku, "
        "Automated Certificate Management renews it (heroku certs:auto:enable)."
    ),
    doc="https://devcenter.heroku.com/articles/automated-certificate-management",
    needs=("certificate",),
)
def check_certificate(probes: Probes) -> Finding:
    certificate = probes.certificate
    if certificate is None:
        return skipped(_("%(url)s is not an https:// address: it serves no certificate.") % {"url": probes.url})
    host = certificate.host
    if certificate.verify_code is not None or certificate.verify_message:
        return failed(
            _("The certificate of %(host)s cannot be verified: %(reason)s.")
            % {"host": host, "reason": _verify_reason(certificate)},
            hint=UNTRUSTED_HINT,
            details={
                "verify_code": certificate.verify_code,
                "verify_message": one_line(certificate.verify_message or "", 200),
                "covers_host": certificate.verify_code not in _OTHER_HOST,
            },
        )
    details = {"issuer": one_line(certificate.issuer, 200), "names": list(certificate.names), "covers_host": True}
    if certificate.not_after is None:
        return Finding(
            Status.PASSED, _("Issued by %(issuer)s.") % {"issuer": one_line(certificate.issuer, 200)}, details=details
        )
    left = certificate.not_after - certificate.checked_at
    days = max(left.days, 0)
    values = {"host": host, "date": certificate.not_after.date().isoformat(), "count": days}
    details = {**details, "expires": certificate.not_after.isoformat(), "days_left": days}
    if left <= timedelta(days=WARNING_DAYS):
        return failed(
            ngettext(
                "The certificate of %(host)s expires on %(date)s, in %(count)d day.",
                "The certificate of %(host)s expires on %(date)s, in %(count)d days.",
                days,
            )
            % values,
            level=Level.ERROR if left <= timedelta(days=ERROR_DAYS) else Level.WARNING,
            details=details,
        )
    message = ngettext(
        "Valid until %(date)s (%(count)d day left), issued by %(issuer)s.",
        "Valid until %(date)s (%(count)d days left), issued by %(issuer)s.",
        days,
    ) % {**values, "issuer": one_line(certificate.issuer, 200)}
    return Finding(Status.PASSED, message, details=details)
