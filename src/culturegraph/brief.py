"""Printable briefs: a :class:`~culturegraph.network.View` as a static PNG/SVG (matplotlib) or a CSV table.

The picture uses the same classes, colours, relation colours and (for the countries preset) the same
timeline layout as the HTML page; other presets get a networkx force layout with a fixed seed
(``spring_layout``; above 300 nodes started from the spectral layout, which needs scipy). It carries a title,
the filters, a legend, the date of the data and a sources note. Hangul needs a CJK font: the first one
found (Noto Sans CJK, Nanum, Source Han, Un) is added as a fallback after DejaVu Sans; without one the
brief says so in its footnote instead of printing empty boxes silently.

The CSV table (``--table``) lists the nodes and edges drawn, one row each, as an accessible alternative.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .network import OTHER_LINE, STYLES, View, relation_colours

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SEED = 42
CJK_FONTS = ("Noto Sans CJK KR", "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans KR", "NanumGothic",
             "Source Han Sans K", "Source Han Sans KR", "UnDotum", "Noto Serif CJK KR")
MAX_LABELS = 32  # labels drawn on big views (the largest nodes)
ALL_LABELS = 60  # up to this many nodes, every node is labelled


def cjk_font() -> str | None:
    """The name of an installed font that has Hangul, or None."""
    from matplotlib import font_manager

    def installed() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((n for n in CJK_FONTS if n in names), None)

    found = installed()
    if found is None and _added_system_cjk_fonts():
        found = installed()
    return found


@functools.cache
def _added_system_cjk_fonts() -> bool:
    """Add the system's CJK font files to matplotlib's font list, once; whether any was added.

    matplotlib keeps the font list it scanned on first use in a cache file and does not look again, so a
    font installed after that (``apt-get install fonts-noto-cjk`` once matplotlib had run) stays unknown to it.
    """
    from matplotlib import font_manager

    added = False
    for path in sorted(font_manager.findSystemFonts()):
        if any(k in Path(path).name for k in ("CJK", "Nanum", "SourceHan", "UnDotum")):
            with contextlib.suppress(Exception):  # an unreadable font file is skipped, as matplotlib does
                font_manager.fontManager.addfont(path)
                added = True
    return added


def _has_cjk(text: str) -> bool:
    return any("\u1100" <= ch <= "\u11ff" or "\u3040" <= ch <= "\u30ff" or "\u3130" <= ch <= "\u318f"
               or "\u4e00" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def layout(view: View) -> dict[str, tuple[float, float]]:
    """Node positions: the view's fixed layout, else each connected component laid out with a seeded force
    layout and the components packed in rows, largest first (a single force layout would fling small
    components to the corners and crush the big one)."""
    import networkx as nx

    g = view.graph
    if view.positions:
        return {n: (x, -y) for n, (x, y) in view.positions.items()}  # screen y grows down
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    placed: list[tuple[list[str], dict[str, tuple[float, float]], float]] = []
    for nodes in comps:
        local = _component_layout(g.subgraph(nodes), nodes)
        placed.append((nodes, local, 2.0 * max(1.0, len(nodes) ** 0.5)))
    total = sum(side * side for *_, side in placed)
    width = max(max((side for *_, side in placed), default=1.0), (total ** 0.5) * 1.6)
    pos: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for nodes, local, side in placed:
        if x > 0 and x + side > width:
            x, y, row = 0.0, y - row - 0.6, 0.0
        for n in nodes:
            lx, ly = local[n]
            pos[n] = (round(x + side / 2 + lx * side * 0.45, 6), round(y - side / 2 + ly * side * 0.45, 6))
        x += side + 0.6
        row = max(row, side)
    return pos


def _component_layout(sub, nodes: list[str]) -> dict[str, tuple[float, float]]:
    """One component in [-1, 1]²: a seeded spring layout (forceatlas2 above 500 nodes: numpy only)."""
    import networkx as nx

    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-0.6, 0.0), nodes[1]: (0.6, 0.0)}
    from .network import canonical

    sub = canonical(sub)
    k = 1.8 / len(nodes) ** 0.5
    if len(nodes) < 300:
        raw = nx.spring_layout(sub, seed=SEED, k=k, iterations=200, weight=None)
    else:
        # Fruchterman-Reingold costs O(n²) per iteration (~12 s for 50 iterations at 1,500 nodes here): start
        # from the spectral layout (scipy, ~0.4 s) and relax it with a few seeded iterations instead.
        import numpy as np

        jitter = np.random.default_rng(SEED)
        start = {n: np.asarray(p) + jitter.normal(0.0, 0.02, 2)
                 for n, p in sorted(nx.spectral_layout(sub).items())}
        raw = nx.spring_layout(sub, pos=start, seed=SEED, k=k, iterations=12, weight=None)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {n: ((float(p[0]) - cx) / half, (float(p[1]) - cy) / half) for n, p in raw.items()}


def figure(view: View) -> Figure:
    """The brief as a matplotlib Figure (Agg canvas; pyplot's global state is not used)."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from .viewhtml import ui_strings

    g = view.graph
    cjk = cjk_font()
    families = ["DejaVu Sans", cjk] if cjk else ["DejaVu Sans"]
    needs_cjk = any(_has_cjk(d["label"]) for _, d in g.nodes(data=True))
    with mpl.rc_context({"font.family": families, "svg.hashsalt": "culturegraph", "axes.unicode_minus": False}):
        fig = Figure(figsize=(16, 10), dpi=150, layout=None)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.02, 0.09, 0.74, 0.80))
        ax.set_axis_off()
        pos = layout(view)
        colours = relation_colours(view)
        grid = bool(view.axis)  # field overview: the rows' names and the years say it all; cells stay unlabelled
        columns = bool(view.positions)  # timeline layout: labels beside the two columns, never clipped
        if pos:  # the limits first: hubs are kept apart, and labels placed, in the picture's own pixels
            xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
            if grid:
                ys += [-y for _, _, y in view.axis]
            spread = (max(xs) - min(xs)) or 1
            padx = spread * (0.45 if columns and not grid else 0.06)
            padl = spread * 0.55 if grid else padx  # room for the rows' names on the left
            pady = (max(ys) - min(ys)) * 0.08 or 1
            ax.set_xlim(min(xs) - padl, max(xs) + padx)
            ax.set_ylim(min(ys) - pady, max(ys) + pady)
        sizes = {n: float(d.get("size", 0)) for n, d in g.nodes(data=True)}
        top = max(sizes.values(), default=1.0) or 1.0
        area = {n: 40 + 560 * (sizes[n] / top) for n in g.nodes}  # marker area, points²
        if not columns:
            pos = separate_hubs(ax, pos, area, fig.dpi)
        segs, widths, cols = [], [], []
        max_w = max((d.get("weight", 1) for *_, d in g.edges(data=True)), default=1)
        for u, v, d in g.edges(data=True):
            segs.append((pos[u], pos[v]))
            widths.append(0.5 + 2.5 * (d.get("weight", 1) - 1) / max(max_w - 1, 1))
            cols.append(next((colours[r][0] for r in d.get("relations", ()) if r in colours), OTHER_LINE))
        ax.add_collection(LineCollection(segs, linewidths=widths, colors=cols, alpha=0.55, zorder=1))
        for cls, label, count in view.legend:
            style = STYLES[cls]
            nodes = [n for n, d in g.nodes(data=True) if d["type"] == cls]
            ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=[area[n] for n in nodes],
                       c=style.color, marker=style.marker, edgecolors="#2b333b", linewidths=0.5, zorder=2,
                       label=f"{label} ({count})")
        # the fixed texts first, so the labels can keep clear of them
        fig.text(0.02, 0.965, view.title, fontsize=20, weight="bold", va="top")
        ui = ui_strings(view.options.lang)
        counts = ui["counts"].format(nodes=f"{g.number_of_nodes():,}", edges=f"{g.number_of_edges():,}")
        fig.text(0.02, 0.925, f"{view.subtitle or ui['all_editions']} · {counts.rstrip('.')}", fontsize=12,
                 color="#4a5560", va="top")
        handles, _ = ax.get_legend_handles_labels()
        for rel, (col, count) in colours.items():
            handles.append(Line2D([0], [0], color=col, lw=2.5, label=f"{rel} ({count})"))
        if handles:
            fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.775, 0.89), frameon=False,
                       fontsize=10, markerscale=0.6, title=ui["legend"], title_fontsize=12, alignment="left")
        fig.text(0.02, 0.035, footnote(view, missing_font=needs_cjk and not cjk), fontsize=9, color="#4a5560",
                 va="bottom", wrap=True)
        for text, x, y in view.axis:  # the grid's years (and its "undated" column) above the rows
            if text.strip() and text != "·":
                ax.text(x, -y, text, ha="center", va="bottom", fontsize=7.5, color="#46515c", zorder=3,
                        rotation=90)
        labelled = sorted(g.nodes, key=lambda n: (-sizes[n], g.nodes[n]["label"], n))
        if grid:
            labelled = [n for n in labelled if not g.nodes[n].get("full_label")]
        elif g.number_of_nodes() > ALL_LABELS:
            labelled = labelled[:MAX_LABELS]
        limit = 48 if grid else 60 if columns else 38
        left = min((p[0] for p in pos.values()), default=0.0)
        place_labels(fig, ax, [(n, g.nodes[n]["label"] if len(g.nodes[n]["label"]) <= limit
                                else g.nodes[n]["label"][: limit - 1].rstrip() + "…") for n in labelled],
                     pos, lambda n: 8.0 if grid else 7.5 + 3 * (sizes[n] / top),
                     (lambda n: "left" if pos[n][0] == left else "right") if columns else None)
    return fig


def separate_hubs(ax, pos: dict[str, tuple[float, float]], area: dict[str, float], dpi: float,
                  hubs: int = 24, rounds: int = 60) -> dict[str, tuple[float, float]]:
    """Push the biggest markers apart until none covers another (in the picture's pixels): a force layout
    puts two organisations that share every edition on top of each other, and their symbols merge."""
    import numpy as np

    big = sorted(area, key=lambda n: (-area[n], n))[:hubs]
    if len(big) < 2:
        return pos
    to_px = ax.transData
    xy = np.array([to_px.transform(pos[n]) for n in big], dtype=float)
    radius = np.array([(area[n] ** 0.5) / 2 * dpi / 72 + 2.0 for n in big])
    for _ in range(rounds):
        moved = False
        for i in range(len(big)):
            for j in range(i + 1, len(big)):
                d = xy[j] - xy[i]
                dist = float(np.hypot(*d))
                gap = radius[i] + radius[j] - dist
                if gap > 0:
                    unit = d / dist if dist > 1e-9 else np.array([1.0, 0.0])
                    xy[i] -= unit * gap / 2
                    xy[j] += unit * gap / 2
                    moved = True
        if not moved:
            break
    out = dict(pos)
    back = to_px.inverted()
    for n, p in zip(big, xy, strict=True):
        x, y = back.transform(p)
        out[n] = (round(float(x), 6), round(float(y), 6))
    return out


def place_labels(fig, ax, labels: list[tuple[str, str]], pos: dict[str, tuple[float, float]], size, side) -> None:
    """Labels in order of importance, each where it overlaps no text already on the figure (title, legend,
    footnote, other labels) and stays inside it: under its node, else above, right or left — or, where none
    fits, left out (the table lists every node). ``side``: for the timeline and grid layouts, the one side a
    node's label goes (left of the first column, right of the others)."""
    from matplotlib import patheffects

    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    taken = [t.get_window_extent(renderer) for t in fig.texts]
    taken += [leg.get_window_extent(renderer) for leg in fig.legends]
    taken += [t.get_window_extent(renderer) for t in ax.texts]
    stroke = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    tries = [{"xytext": (0, -9), "ha": "center", "va": "top"}, {"xytext": (0, 9), "ha": "center", "va": "bottom"},
             {"xytext": (10, 0), "ha": "left", "va": "center"}, {"xytext": (-10, 0), "ha": "right", "va": "center"}]
    for node, text in labels:
        options = tries
        if side is not None:
            first = side(node) == "left"
            options = [{"xytext": (-12 if first else 12, 0), "ha": "right" if first else "left", "va": "center"}]
        for where in options:
            ann = ax.annotate(text, pos[node], textcoords="offset points", fontsize=size(node), zorder=3,
                              path_effects=stroke, color="#1d232a", **where)
            box = ann.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                break
            ann.remove()


def footnote(view: View, *, missing_font: bool = False) -> str:
    """Date of the data, how to read the picture, and where its sources are (in the view's language)."""
    from .viewhtml import ui_strings

    ui = ui_strings(view.options.lang)
    g = view.graph
    srcs = {url for _, d in g.nodes(data=True) for url, _ in d.get("sources", ())}
    srcs |= {url for *_, d in g.edges(data=True) for url, _ in d.get("sources", ())}
    text = ui["brief_note"].format(date=view.data_date or "n/a", size=ui["size_word_" + view.options.size_by],
                                   n=len(srcs))
    if view.grouped:
        text += f" ({view.original_nodes:,} nodes grouped by {view.grouped}; limit {view.node_limit:,}.)"
    if view.hidden_edges:
        text += f" (Only links of weight ≥ {view.min_weight}; {view.hidden_edges:,} lighter ones left out.)"
    if missing_font:
        text += " Hangul labels need a CJK font (Debian: fonts-noto-cjk); they may show as boxes here."
    return text


def image_bytes(view: View, fmt: str) -> bytes:
    """The brief as ``png`` or ``svg`` bytes, identical for identical views (no dates in the metadata)."""
    import matplotlib as mpl

    fig = figure(view)
    buf = io.BytesIO()
    meta = {"Date": None} if fmt == "svg" else {"Software": "culturegraph (matplotlib)"}
    with warnings.catch_warnings(), mpl.rc_context({"svg.hashsalt": "culturegraph"}):
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buf, format=fmt, metadata=meta, facecolor="white")
    return buf.getvalue()


TABLE_COLUMNS = ("record", "id", "label", "type", "years", "start", "end", "from", "to", "relation", "weight",
                 "sources")


def table_bytes(view: View) -> bytes:
    """Nodes, then edges, one row each (UTF-8 with BOM so that spreadsheet programs read Hangul)."""
    g = view.graph
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(TABLE_COLUMNS)
    for n, d in g.nodes(data=True):
        w.writerow(["node", d.get("id") or n, d["label"], d.get("type_label", d["type"]),
                    " ".join(map(str, d.get("years", []))), d.get("start") or "", d.get("end") or "", "", "", "",
                    "", " ".join(url for url, _ in d.get("sources", ()))])
    for u, v, d in g.edges(data=True):
        w.writerow(["edge", "", d.get("label", ""), "", " ".join(map(str, d.get("years", []))), "", "",
                    g.nodes[u]["label"], g.nodes[v]["label"], "; ".join(d.get("relations", [])),
                    d.get("weight", 1), " ".join(url for url, _ in d.get("sources", ()))])
    return buf.getvalue().encode("utf-8-sig")
