"""Content Security Policy: read a policy (from a header or from settings) and judge what it lets in.

One judgement for both places a policy comes from: the settings that build it (Django 6.0's
``SECURE_CSP``, django-csp's ``CONTENT_SECURITY_POLICY``) and the header the live site sends.
It follows what browsers do (CSP Level 3):

- scripts are governed by ``script-src``, else by ``default-src``; a policy with neither lets
  any script in;
- ``'unsafe-inline'`` lets inline scripts in, unless a nonce, a hash or ``'strict-dynamic'``
  sits beside it (browsers then ignore it);
- ``'unsafe-eval'`` lets strings be run as code, whatever else the list holds;
- ``*``, a host of ``*`` and a bare scheme (``https:``, ``data:``) let scripts come from anywhere,
  unless ``'strict-dynamic'`` is there (browsers then ignore hosts and schemes);
- a header may hold several policies (comma-separated, or several header lines): a script runs
  only when every one of them allows it, so a weakness counts only when all of them share it.

``frame-ancestors`` has no fallback: it protects when present and not open to any site.
Nothing here reads settings or the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from deploycheck.core.deferred_text import Message
from deploycheck.core.deferred_text import later as _

# What a nonce placeholder in the settings becomes: the middleware puts a fresh nonce there.
NONCE_PLACEHOLDER = "'nonce-per-request'"
# Django 6.0's placeholder (django.utils.csp.CSP.NONCE); django-csp's is an object, told by its class.
DJANGO_NONCE_SENTINEL = "<CSP_NONCE_SENTINEL>"
_SCHEME_SOURCE = re.compile(r"^[a-z][a-z0-9+.\-]*:$", re.IGNORECASE)
# A host-source whose host is "*" ("https://*", "*:443"): any host, as "*" is.
_ANY_HOST_SOURCE = re.compile(r"^([a-z][a-z0-9+.\-]*://)?\*(:[0-9*]+)?(/.*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Policy:
    """One policy: directive name (lower case) -> its source expressions, in the order written."""

    directives: Mapping[str, tuple[str, ...]]

    def get(self, name: str) -> tuple[str, ...] | None:
        return self.directives.get(name)


@dataclass(frozen=True)
class Weakness:
    """What a policy lets in: ``kind`` says what, ``directive`` where, ``sources`` which expressions."""

    kind: str
    directive: str = ""
    sources: tuple[str, ...] = ()


NO_SCRIPT_RULE = "no_script_rule"
UNSAFE_INLINE = "unsafe_inline"
UNSAFE_EVAL = "unsafe_eval"
ANY_HOST = "any_host"
ANY_HOST_ON_SCHEME = "any_host_on_scheme"


def parse_policy(text: str) -> Policy:
    """One serialized policy (``default-src 'self'; script-src 'self'``), as browsers read it.

    Directive names are case-insensitive; a repeated directive is ignored after its first.
    """
    directives: dict[str, tuple[str, ...]] = {}
    for part in text.split(";"):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        directives.setdefault(name, tuple(tokens[1:]))
    return Policy(directives)


def parse_header(value: str) -> list[Policy]:
    """Every policy of a Content-Security-Policy header (several policies are comma-separated)."""
    return [parse_policy(text) for text in value.split(",") if text.strip()]


def _is_nonce_or_hash(source: str) -> bool:
    return source.lower().startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-"))


def script_weaknesses(policy: Policy) -> list[Weakness]:
    """How one policy lets scripts in that a strict one would keep out."""
    directive = "script-src" if policy.get("script-src") is not None else "default-src"
    sources = policy.get(directive)
    if sources is None:
        return [Weakness(NO_SCRIPT_RULE)]
    lowered = [source.lower() for source in sources]
    strict_dynamic = "'strict-dynamic'" in lowered
    weaknesses = []
    if "'unsafe-inline'" in lowered and not strict_dynamic and not any(map(_is_nonce_or_hash, lowered)):
        weaknesses.append(Weakness(UNSAFE_INLINE, directive, ("'unsafe-inline'",)))
    if "'unsafe-eval'" in lowered:
        weaknesses.append(Weakness(UNSAFE_EVAL, directive, ("'unsafe-eval'",)))
    if not strict_dynamic:
        anywhere = tuple(source for source in sources if _ANY_HOST_SOURCE.match(source))
        if anywhere:
            weaknesses.append(Weakness(ANY_HOST, directive, anywhere))
        schemes = tuple(source for source in sources if _SCHEME_SOURCE.match(source))
        if schemes:
            weaknesses.append(Weakness(ANY_HOST_ON_SCHEME, directive, schemes))
    return weaknesses


def shared_script_weaknesses(policies: Iterable[Policy]) -> list[Weakness]:
    """The weaknesses every policy has: a script runs only if all the policies enforced allow it."""
    judged = [script_weaknesses(policy) for policy in policies]
    # A policy without a script rule lets everything in: it takes nothing away from the others' verdict.
    restricting = [weaknesses for weaknesses in judged if Weakness(NO_SCRIPT_RULE) not in weaknesses]
    if not restricting:
        return [Weakness(NO_SCRIPT_RULE)]
    first, *others = restricting
    return [weakness for weakness in first if all(any(w.kind == weakness.kind for w in other) for other in others)]


def frame_ancestors(policies: Iterable[Policy]) -> tuple[bool, str] | None:
    """Whether ``frame-ancestors`` keeps other sites from framing the page, and the directive as sent.

    None when no policy has the directive. It protects when any policy's list is closed to
    other sites: not ``*``, not a host of ``*``, not a bare scheme.
    """
    found: tuple[bool, str] | None = None
    for policy in policies:
        sources = policy.get("frame-ancestors")
        if sources is None:
            continue
        open_to_all = any(_ANY_HOST_SOURCE.match(source) or _SCHEME_SOURCE.match(source) for source in sources)
        written = " ".join(("frame-ancestors", *sources))
        if not open_to_all:
            return True, written
        found = found or (False, written)
    return found


def describe(weakness: Weakness) -> Message:
    """What a weakness lets in, for a finding's message (translated when read)."""
    values = {"directive": weakness.directive, "sources": " ".join(weakness.sources)}
    if weakness.kind == NO_SCRIPT_RULE:
        return _("no script-src or default-src, so scripts from anywhere")
    if weakness.kind == UNSAFE_INLINE:
        return _("inline scripts through 'unsafe-inline' in %(directive)s, with no nonce or hash") % values
    if weakness.kind == UNSAFE_EVAL:
        return _("code built from strings through 'unsafe-eval' in %(directive)s") % values
    if weakness.kind == ANY_HOST:
        return _("scripts from any host through %(sources)s in %(directive)s") % values
    return _("scripts from any host of a scheme through %(sources)s in %(directive)s") % values


def lets_in(policy: str, weaknesses: list[Weakness]) -> Message:
    """The message of a finding: ``policy`` (a setting or a header's name) lets these weaknesses in."""
    return _("%(policy)s lets in %(weaknesses)s.") % {
        "policy": policy,
        "weaknesses": _in_a_list(describe(weakness) for weakness in weaknesses),
    }


def _in_a_list(parts: Iterable[Message]) -> Message | str:
    """Descriptions that hold commas, one after another: a semicolon between each, spaced as the
    reader's language spaces it (French writes " ; ")."""
    listed: Message | str = ""
    for part in parts:
        listed = part if not listed else _("%(before)s; %(after)s") % {"before": listed, "after": part}
    return listed


def only_reported(policy: str) -> Message:
    return _("Only a report-only policy (%(policy)s): violations are reported, nothing is blocked.") % {
        "policy": policy
    }


# From settings: Django 6.0's SECURE_CSP and django-csp 4's DIRECTIVES are dicts of directive -> value(s).


def _source_text(value: Any) -> str:
    if value == DJANGO_NONCE_SENTINEL or type(value).__name__ == "Nonce":
        return NONCE_PLACEHOLDER
    return str(value)


def policy_from_settings(directives: Mapping[str, Any]) -> Policy:
    """The policy a middleware builds from a dict of directives, as Django and django-csp do.

    None or False leaves a directive out, True writes it without a value (``upgrade-insecure-requests``),
    a string is one source, a list, tuple or set several; a nonce placeholder stands for a nonce.
    """
    built: dict[str, tuple[str, ...]] = {}
    for name, value in directives.items():
        if value is None or value is False:
            continue
        if value is True:
            built[str(name).lower()] = ()
            continue
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        sources = tuple(_source_text(item) for item in (items if isinstance(items, list | tuple) else [items]))
        if sources:
            built.setdefault(str(name).lower(), tuple(" ".join(sources).split()))
    return Policy(built)
