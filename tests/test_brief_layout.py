"""Briefs that print (issue 28): on every preset of the real data, no two labels (or a label and the title,
legend or footnote) overlap, nothing is clipped, and the biggest symbols do not cover one another. Read from
the boxes matplotlib itself renders, not from our own arithmetic."""

from __future__ import annotations

import itertools

import pytest

from culturegraph.brief import figure
from culturegraph.network import view_for

PRESETS = [("entity", {}), ("organisations", {}), ("themes", {}), ("countries", {}), ("people", {}),
           ("field", {}), ("ego", {"entity": "kofice", "radius": 1}), ("organisations", {"lang": "ko"})]


@pytest.mark.parametrize(("preset", "options"), PRESETS, ids=[f"{p}-{'-'.join(map(str, o.values()))}"
                                                             for p, o in PRESETS])
def test_labels_never_overlap_or_leave_the_page(cg, preset: str, options: dict) -> None:
    fig = figure(view_for(cg, preset, **options))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
    fixed = [(t.get_text()[:30], t.get_window_extent(renderer)) for t in fig.texts if t.get_text().strip()]
    fixed += [("legend", leg.get_window_extent(renderer)) for leg in fig.legends]
    frame = fig.bbox
    assert labels, "the brief names something"
    for text, box in boxes + fixed[:3]:  # title, subtitle and the labels; the footnote wraps inside the page
        assert frame.x0 - 0.5 <= box.x0 and box.x1 <= frame.x1 + 0.5, (preset, text, box)
        assert frame.y0 - 0.5 <= box.y0 and box.y1 <= frame.y1 + 0.5, (preset, text, box)
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (preset, a, b)
    for (a, box_a), (b, box_b) in itertools.product(boxes, fixed):
        assert not box_a.overlaps(box_b), (preset, a, b)


@pytest.mark.parametrize("preset", ["organisations", "people", "themes", "entity"])
def test_the_biggest_symbols_do_not_cover_each_other(cg, preset: str) -> None:
    import numpy as np

    fig = figure(view_for(cg, preset))
    fig.canvas.draw()
    ax = fig.axes[0]
    points = []
    from matplotlib.collections import PathCollection

    for coll in ax.collections:
        if not isinstance(coll, PathCollection):  # the markers (the lines are a LineCollection)
            continue
        sizes = coll.get_sizes()
        offsets = coll.get_offsets()
        if len(offsets) != len(sizes):
            continue
        for xy, s in zip(ax.transData.transform(offsets), sizes, strict=True):
            points.append((float(s), xy, (s ** 0.5) / 2 * fig.dpi / 72))
    big = sorted(points, key=lambda p: -p[0])[:12]
    for (_, a, ra), (_, b, rb) in itertools.combinations(big, 2):
        assert float(np.hypot(*(a - b))) >= ra + rb - 1.0, preset


def test_the_korean_brief_names_every_relation_in_korean(cg) -> None:
    view = view_for(cg, "themes", lang="ko")
    relations = {r for *_, d in view.graph.edges(data=True) for r in d.get("relations", ())}
    assert "상위 주제" in relations and "broader" not in relations
    assert all(not r.isascii() for r in relations), relations


def test_related_events_and_venues_do_not_look_alike() -> None:
    from culturegraph.network import STYLES

    looks = {(s.shape, s.color) for name, s in STYLES.items()}
    assert len(looks) == len(STYLES)
    assert STYLES["RelatedEvent"].shape != STYLES["Venue"].shape


def test_the_interactive_view_names_its_biggest_nodes_and_the_ego_centre_at_first_sight(cg) -> None:
    from culturegraph.viewhtml import READABLE_LABELS, view_data

    people = view_data(view_for(cg, "people"))
    readable = [n for n in people["nodes"] if n.get("readable")]
    biggest = sorted(people["nodes"], key=lambda n: (-n["value"], n["label"], n["id"]))[:READABLE_LABELS]
    assert len(readable) == READABLE_LABELS and {n["id"] for n in biggest} == {n["id"] for n in readable}
    ego = view_data(view_for(cg, "ego", entity="lee-kyogu", radius=1))
    centre = next(n for n in ego["nodes"] if n.get("center"))
    assert centre["readable"] and centre["label"] == "Kyogu Lee"
