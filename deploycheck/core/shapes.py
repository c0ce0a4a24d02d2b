"""The shape a JSON answer must have for the checks that read it, and words for any other shape.

A family describes each answer it reads in a line or two (``items(record(name=STRING,
enabled=BOOLEAN))``): the keys its checks read and their types, nothing more, since APIs add
fields. An answer of another shape (a list where an object is documented, a missing key, a
string where a number is, null) is not reduced to an empty list or a missing setting, which
would fail or pass checks on what the peer never said: :meth:`Shape.problem` words what was
unexpected, and the family makes that the reason its fact could not be gathered.

The words name JSON's types and the path to the value (``[0].dyno_size.name``), never the value
itself: what the peer sent is not quoted. A key the description does not name (a config var's) is
cut short and loses its backticks before it is shown, and the result made inert like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from deploycheck.core.deferred_text import Message
from deploycheck.core.deferred_text import later as _
from deploycheck.core.sanitising import one_line

# A path to a value in an answer: keys and list positions, from the top.
Path = tuple[str | int, ...]


def kind_of(value: Any) -> Message:
    """What a JSON value is, in words: "a list", "null"."""
    if value is None:
        return _("null")
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, int):
        return _("an integer")
    if isinstance(value, float):
        return _("a number")
    if isinstance(value, str):
        return _("a string")
    return _("a list") if isinstance(value, list) else _("an object")


def path_text(path: Path) -> str:
    """``[0].dyno_size.name``: positions in brackets, keys after dots, each key cut short."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            # A peer's key may be long or hold a backtick, which would end the code span around it.
            text += ("." if text else "") + one_line(step, 60).replace("`", "'")
    return text


@dataclass(frozen=True)
class Problem:
    """Where an answer's shape went wrong, and how."""

    path: Path
    expected: Message
    found: Message | None = None
    # Set when a key is missing, rather than of the wrong type.
    missing: str | None = None

    def inside(self, step: str | int) -> Problem:
        """The same problem, seen from the value that holds this one at ``step``."""
        return replace(self, path=(step, *self.path))

    @property
    def words(self) -> Message:
        """ "a list where an object was expected"; "an object without `acm`, at `stack`"."""
        if self.missing is not None:
            what = _("an object without `%(key)s`") % {"key": self.missing}
        else:
            what = _("%(found)s where %(expected)s was expected") % {"found": self.found, "expected": self.expected}
        if not self.path:
            return what
        return _("%(problem)s, at `%(path)s`") % {"problem": what, "path": path_text(self.path)}


class Shape:
    """What one JSON value must be; a subclass says what is inside it."""

    expected: Message

    def fits(self, value: Any) -> bool:
        """Whether ``value`` is of this shape's JSON type, whatever it holds."""
        raise NotImplementedError

    def inner_problem(self, value: Any) -> Problem | None:
        """What is wrong inside ``value``, which fits; None for a leaf."""
        return None

    def problem(self, value: Any) -> Problem | None:
        """The first thing wrong with ``value``'s shape, or None when the checks can read it.

        The path is made only for a problem, on its way up: a right answer costs no more than a walk.
        """
        if not self.fits(value):
            return Problem((), self.expected, kind_of(value))
        return self.inner_problem(value)


@dataclass(frozen=True)
class Leaf(Shape):
    """A string, a boolean, an integer or null."""

    expected: Message
    types: frozenset[type]

    def fits(self, value: Any) -> bool:
        # By exact type, as json.loads makes them: JSON's true is no integer, though Python's bool is an int.
        return type(value) in self.types


STRING = Leaf(_("a string"), frozenset({str}))
BOOLEAN = Leaf(_("a boolean"), frozenset({bool}))
INTEGER = Leaf(_("an integer"), frozenset({int}))
NULL = Leaf(_("null"), frozenset({type(None)}))


@dataclass(frozen=True)
class Omittable:
    """A key an answer may leave out; when it is there, its value has ``shape``."""

    shape: Shape


@dataclass(frozen=True)
class Record(Shape):
    """An object with these keys, each of its shape; other keys are allowed and not read."""

    fields: Mapping[str, Shape | Omittable]
    expected: Message = field(default_factory=lambda: _("an object"))

    def fits(self, value: Any) -> bool:
        return isinstance(value, dict)

    def inner_problem(self, value: Any) -> Problem | None:
        for key, described in self.fields.items():
            if key not in value:
                if isinstance(described, Omittable):
                    continue
                return Problem((), self.expected, missing=key)
            shape = described.shape if isinstance(described, Omittable) else described
            found = shape.problem(value[key])
            if found is not None:
                return found.inside(key)
        return None


@dataclass(frozen=True)
class Items(Shape):
    """A list, each item of ``item``'s shape."""

    item: Shape
    expected: Message = field(default_factory=lambda: _("a list"))

    def fits(self, value: Any) -> bool:
        return isinstance(value, list)

    def inner_problem(self, value: Any) -> Problem | None:
        problem = self.item.problem
        for position, item in enumerate(value):
            found = problem(item)
            if found is not None:
                return found.inside(position)
        return None


@dataclass(frozen=True)
class Values(Shape):
    """An object whose keys are the peer's (config var names), each value of ``value``'s shape."""

    value: Shape
    expected: Message = field(default_factory=lambda: _("an object"))

    def fits(self, value: Any) -> bool:
        return isinstance(value, dict)

    def inner_problem(self, value: Any) -> Problem | None:
        for key, item in value.items():
            found = self.value.problem(item)
            if found is not None:
                return found.inside(str(key))
        return None


@dataclass(frozen=True)
class Either(Shape):
    """One of several shapes, told apart by their JSON type: the first that fits is the one checked."""

    options: tuple[Shape, ...]
    expected: Message

    def fits(self, value: Any) -> bool:
        return self._chosen(value) is not None

    def inner_problem(self, value: Any) -> Problem | None:
        chosen = self._chosen(value)
        return chosen.inner_problem(value) if chosen is not None else None

    def _chosen(self, value: Any) -> Shape | None:
        for option in self.options:
            if option.fits(value):
                return option
        return None


def record(**fields: Shape | Omittable) -> Record:
    return Record(fields)


def items(item: Shape) -> Items:
    return Items(item)


def values(value: Shape) -> Values:
    return Values(value)


def either(*options: Shape) -> Either:
    """The first of ``options`` that fits: "a string, an object or null"."""
    *some, last = (option.expected for option in options)
    words = some[0]
    for option in some[1:]:
        # No words of its own, so not a msgid: a list reads the same in French.
        words = Message("%(some)s, %(other)s") % {"some": words, "other": option}
    return Either(options, _("%(some)s or %(last)s") % {"some": words, "last": last})


def nullable(shape: Shape) -> Either:
    """``shape``, or null."""
    return either(shape, NULL)


def optional(shape: Shape) -> Omittable:
    """A key that may be missing."""
    return Omittable(shape)
