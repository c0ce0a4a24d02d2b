"""What a peer sends is shown, stored and exported harmlessly.

Heroku's API, a probed site and a project's checks hand deploycheck text it then prints to a
terminal, writes into XML, stores and shows in the admin. :func:`safe_text` makes that text
inert once, where a check's finding becomes a result: control characters (ANSI escape
sequences included) are shown as escapes such as ``\\x1b``, and credentials in URLs are
replaced by ``***``. :func:`spreadsheet_cell` keeps a CSV cell from being read as a formula.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.utils.functional import Promise, lazy

from deploycheck.core.deferred_text import DjangoMessage, Message, Text

REDACTED = "***"

# C0 and C1 controls, DEL, bidirectional overrides and isolates (they reorder what a reader
# sees: "Trojan Source") and the Unicode line separators. Newline and tab are kept where a
# text may have several lines.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
_UNSAFE_MULTILINE = re.compile(f"[{_CONTROLS}\ud800-\udfff\ufffe\uffff]")
_UNSAFE_ONE_LINE = re.compile(f"[\t\n{_CONTROLS}\ud800-\udfff\ufffe\uffff]")
# A URL anywhere in a text: a scheme, "://" and everything up to a space or a quote.
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s\"'<>]+")
# The authority's userinfo: the longest run before an "@" that has no "/", "?" or "#".
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*://)[^/?#]*@")
_QUERY_PARAMETER = re.compile(r"([?&;])([^=&;#]+)=([^&;#)\]]*)")
# Query parameter names, or their parts, that hold secrets: ?api_key=, ?access_token=, ?X-Amz-Signature=.
_SECRET_WORDS = frozenset(
    {"auth", "code", "credential", "credentials", "jwt", "pass", "passwd", "pwd", "session", "sessionid", "sig"}
)
_SECRET_ENDINGS = ("key", "password", "secret", "signature", "token")
# What a spreadsheet reads as the start of a formula (OWASP's CSV injection list), full-width
# forms included since some spreadsheets normalise them.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _visible(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        # A lone surrogate cannot be encoded, and U+FFFE/U+FFFF are not allowed in XML.
        return "\ufffd"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _is_secret_parameter(name: str) -> bool:
    parts = [part for part in re.split(r"[^a-z0-9]+", name.lower()) if part]
    return any(part in _SECRET_WORDS or part.endswith(_SECRET_ENDINGS) for part in parts)


def redact_url(url: str) -> str:
    """``url`` with its userinfo and secret-looking query values replaced by ``***``.

    Anything else is left exactly as it was, so a URL without credentials is unchanged.
    """
    url = _USERINFO.sub(rf"\g<1>{REDACTED}@", url, count=1)
    if "?" not in url:
        return url

    def parameter(match: re.Match[str]) -> str:
        separator, name, value = match.groups()
        if not value or not _is_secret_parameter(name):
            return match.group()
        return f"{separator}{name}={REDACTED}"

    base, _, rest = url.partition("?")
    return base + _QUERY_PARAMETER.sub(parameter, "?" + rest)


# A query parameter in running text, as a library quotes a request: "url: /status?token=abc".
_PARAMETER_IN_TEXT = re.compile(r"([?&;])([A-Za-z0-9_.\-\[\]]+)=([^&;#\s\"'<>)\]]*)")


def _redacted_parameter(match: re.Match[str]) -> str:
    separator, name, value = match.groups()
    return f"{separator}{name}={REDACTED}" if value and _is_secret_parameter(name) else match.group()


def redact_urls(text: str) -> str:
    """Every URL inside ``text`` with its credentials redacted, and secret query values of a path quoted alone."""
    if "://" in text:
        text = _URL.sub(lambda match: redact_url(match.group()), text)
    return _PARAMETER_IN_TEXT.sub(_redacted_parameter, text) if "=" in text and "?" in text else text


def safe_text(text: str, *, multiline: bool = True) -> str:
    """``text`` safe to print, write into XML, store and show: controls made visible, URL credentials redacted.

    ``multiline`` keeps newlines and tabs; a Windows line end becomes a newline. Printable
    text without a URL is returned as it is, cheaply.
    """
    text = redact_urls(text)
    if text.isprintable():
        # Nothing to make visible: every character the patterns below match is one isprintable()
        # refuses (controls, format characters, separators, surrogates, non-characters).
        return text
    if multiline:
        if "\r\n" in text:
            text = text.replace("\r\n", "\n")
        return _UNSAFE_MULTILINE.sub(_visible, text)
    return _UNSAFE_ONE_LINE.sub(_visible, text)


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def exception_line(exc: BaseException, limit: int = 200) -> str:
    """An exception as "Type: message" on one line; its type alone when it says nothing more."""
    message = one_line(str(exc), limit)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def safe_value(value: Any) -> Any:
    """A JSON-like value (a result's details, a run's selection) with every string made safe, keys included."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, Mapping):
        return {safe_text(str(key), multiline=False): safe_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [safe_value(item) for item in value]
    return value


def spreadsheet_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a single quote before what would start a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


class SafeLogRecords(logging.Filter):
    """Makes deploycheck's log lines safe as well: a check's exception may quote what a peer sent."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = safe_text(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            # Formatters print exc_text when it is set rather than formatting the exception again.
            record.exc_text = safe_text(logging.Formatter().formatException(record.exc_info))
        return True


def inert_text(text: Text, *, multiline: bool = True) -> Text:
    """``text`` made safe to print, store and show (see deploycheck.core.sanitising), still untranslated."""
    if isinstance(text, Message):
        return (
            text.map_values(lambda value: safe_text(value, multiline=multiline)) if text.params or text.args else text
        )
    if isinstance(text, DjangoMessage):
        message_id, original = (
            safe_text(text.message_id, multiline=False),
            safe_text(text.original, multiline=multiline),
        )
        if message_id is text.message_id and original is text.original:
            return text  # already safe, as Django's own messages are: no copy
        return replace(text, message_id=message_id, original=original)
    if isinstance(text, Promise):
        return _inert_lazy(text, multiline)
    return safe_text(text, multiline=multiline)


def _translated_inert(text: Promise, multiline: bool) -> str:
    return safe_text(str(text), multiline=multiline)


_inert_lazy = lazy(_translated_inert, str)
