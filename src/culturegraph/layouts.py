"""Fixed layouts for the views whose positions mean something: the countries timeline (editions in a column
by date) and the field overview's grid (programmes as rows, years as columns). Deterministic, no physics."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from .netindex import Index


def years_of(graph: nx.Graph) -> list[int]:
    """Every year any node of the graph carries, sorted."""
    years: set[int] = set()
    for _, d in graph.nodes(data=True):
        years.update(d.get("years", ()))
    return sorted(years)


def timeline_layout(idx: Index, graph: nx.Graph, step: float = 120.0, across: float = 650.0
                    ) -> dict[str, tuple[float, float]]:
    """Editions in a column by date (earliest on top); every other node in a second column, next to the
    editions it links to (ordered by their mean position, then label). Deterministic, no physics; labels
    run horizontally, so they never collide."""
    from .netindex import EDITION_CLASSES

    top = sorted((n for n, d in graph.nodes(data=True) if d["type"] in EDITION_CLASSES),
                 key=lambda n: (graph.nodes[n].get("start") or "9999", n))
    pos: dict[str, tuple[float, float]] = {n: (0.0, i * step) for i, n in enumerate(top)}
    rest = [n for n in graph.nodes if n not in pos]

    def centre(n: str) -> float:
        ys = [pos[m][1] for m in graph.neighbors(n) if m in pos]
        return sum(ys) / len(ys) if ys else float("inf")

    rest.sort(key=lambda n: (centre(n), graph.nodes[n]["label"], n))
    height = max(step * (len(top) - 1), 75.0 * (len(rest) - 1), 1.0)
    gap = height / (len(rest) - 1) if len(rest) > 1 else 0.0
    for j, n in enumerate(rest):
        pos[n] = (across, round(j * gap, 2))
    return pos


def grid_layout(graph: nx.Graph, column: float = 120.0, row: float = 70.0, lane: float = 22.0,
                undated_label: str = "undated"
                ) -> tuple[dict[str, tuple[float, float]], list[tuple[str, float, float]]]:
    """Programmes as rows (ordered by first year, then label), years as columns: each occurrence sits at its
    year in its programme's row, stacked when a row has several in one year; the row's node stands at the
    left, its name under it. Returns the positions and the year axis (label, x, y) drawn above the grid.
    Deterministic, no physics: the picture answers "which programme ran where, when" at a glance."""
    rows = [n for n in graph.nodes if not graph.nodes[n].get("full_label")]  # occurrences were relabelled
    years = years_of(graph)
    first = years[0] if years else 0

    def first_year(n: str) -> int:
        ys = [y for m in graph.neighbors(n) for y in graph.nodes[m].get("years", ())] or graph.nodes[n].get("years")
        return min(ys) if ys else 9999

    rows.sort(key=lambda n: (first_year(n), graph.nodes[n]["label"], n))
    pos: dict[str, tuple[float, float]] = {}
    used: dict[tuple[int, int], int] = {}
    top = 0.0
    undated = False
    for r, prog in enumerate(rows):
        items = sorted((m for m in graph.neighbors(prog) if m not in pos and graph.nodes[m].get("full_label")),
                       key=lambda m: (graph.nodes[m].get("start") or "", m))
        depth = 1
        placed = []
        for item in items:
            ys = graph.nodes[item].get("years")
            col = ys[0] - first if ys else -1  # undated: one column left of the first year
            undated = undated or not ys
            k = used.get((r, col), 0)
            used[(r, col)] = k + 1
            depth = max(depth, k + 1)
            placed.append((item, col * column, k))
        for item, x, k in placed:
            pos[item] = (x, top + k * lane)
        pos[prog] = (-3.2 * column, top)
        top += row + (depth - 1) * lane
    for j, n in enumerate(sorted(n for n in graph.nodes if n not in pos)):  # a row the filters left out
        ys = graph.nodes[n].get("years") or [first]
        pos[n] = ((ys[0] - first) * column, top + j * row)
    axis = [(str(y), (y - first) * column, -row) for y in range(first, (years[-1] if years else first) + 1)]
    axis.append(("·", -6.2 * column, -row))  # room on the left for the rows' names when the page fits the grid
    if undated:
        axis.append((undated_label, -column, -row))
    return pos, axis
