"""Typed errors. The library raises these and never prints or exits; front ends map them.

The CLI turns any :class:`CultureGraphError` into one line per problem on stderr and a non-zero exit;
the server turns them into an HTTP status with one JSON error shape.
"""

from __future__ import annotations

from dataclasses import dataclass


class CultureGraphError(Exception):
    """Base class of every error culturegraph raises on purpose."""

    http_status = 500

    def lines(self) -> list[str]:
        """The readable message, one problem per line."""
        return [str(self)]


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file."""

    file: str
    line: int | None
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class DataError(CultureGraphError):
    """One or more problems in the data files (syntax, unknown key, dangling reference, …)."""

    http_status = 422

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class ValidationError(CultureGraphError):
    """The graph does not conform to the SHACL shapes or the referential checks."""

    http_status = 422

    def __init__(self, report):
        self.report = report
        super().__init__(report.text())

    def lines(self) -> list[str]:
        return self.report.text().splitlines()


class QueryError(CultureGraphError):
    """A SPARQL query that cannot be run: syntax error, forbidden feature, unknown name or parameter."""

    http_status = 400

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        where = ""
        if line is not None:
            where = f" (line {line}" + (f", column {column}" if column is not None else "") + ")"
        super().__init__(message + where)


class QueryTimeout(QueryError):
    """The query ran longer than the time limit and was stopped."""

    http_status = 504


class QueryTooLarge(QueryError):
    """The query needed more memory than a query worker may use (setting ``worker_memory``)."""

    http_status = 422


class QueryRefused(QueryError):
    """The query asks for something the service does not allow (update, SERVICE, LOAD, …)."""

    http_status = 403


class Overloaded(CultureGraphError):
    """Every query worker is busy; try again later."""

    http_status = 503


class ExportError(CultureGraphError):
    """An export or release could not be written."""

    http_status = 500


class NotFound(CultureGraphError):
    """No such entity, query, view or format."""

    http_status = 404
