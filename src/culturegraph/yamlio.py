"""Read YAML keeping line numbers, refusing duplicate keys, and with YAML 1.2-style booleans.

PyYAML forgets where a value came from and silently keeps the last of two equal keys; a policy officer
needs "data/people.yaml:41: …" and must never lose an entry to a typo, so mappings and sequences read
here carry the line of each key and item.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Problem

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


class _Loader(_Base):  # type: ignore[misc,valid-type]
    pass


# YAML 1.1 reads yes/no/on/off as booleans (so a country code "no" would turn into False):
# keep only true/false, as YAML 1.2 does. Dates stay strings: the loader checks them and can then
# name the line of an impossible date such as 2025-02-30 (PyYAML would fail with no line).
_DROPPED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in _DROPPED]
    for k, v in _Base.yaml_implicit_resolvers.copy().items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int | float | bool) or isinstance(key, bool):
            raise _LocatedError(line, f"mapping key {key!r} must be a plain word")
        key = str(key)
        if key in result:
            raise _LocatedError(line, f"duplicate key {key!r} (first at line {result.key_lines[key]})")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader, node, deep=False):
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


class _LocatedError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file; raise :class:`DataError` naming file and line on any syntax problem."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, None, f"not UTF-8 text ({exc.reason})")]) from exc
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader subclass
    except _LocatedError as exc:
        raise DataError([Problem(name, exc.line, exc.message)]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        msg = "YAML syntax error: " + " ".join(x for x in (exc.context, exc.problem) if x)
        raise DataError([Problem(name, line, msg, col)]) from exc
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, None, f"YAML error: {exc}")]) from exc
