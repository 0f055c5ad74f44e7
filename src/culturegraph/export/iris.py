"""The IRIs of the dataset: every subject under ``{base}id/`` except build-time analytics.

Record IRIs (``{base}id/{kind}/{id}``, ids written by people) never change; ``tests/data/iris.txt`` holds them
for the real data and a test fails when one disappears. Positional IRIs (participations ``…/{event}/{n}``,
claims) stay the same while lists are only appended to. Regenerate the file only deliberately (after an
intended id change):

    .venv/bin/python -m culturegraph.export.iris > tests/data/iris.txt
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from ..api import CultureGraph


def stable_iris(cg: CultureGraph) -> list[str]:
    """Sorted subject IRIs under ``{base}id/`` (``{base}id/derived/…`` analytics are left out)."""
    prefix = cg.settings.base_iri + "id/"
    return sorted({q.subject.value for q in cg.ox_quads if isinstance(q.subject, ox.NamedNode)
                   and q.subject.value.startswith(prefix) and not q.subject.value.startswith(prefix + "derived/")})


def record_iris(cg: CultureGraph) -> list[str]:
    """Sorted IRIs of the records (``{base}id/{kind}/{id}``)."""
    return sorted(str(cg.loaded.iri(rid)) for rid in cg.loaded.records)


if __name__ == "__main__":
    from ..api import CultureGraph

    sys.stdout.write("".join(iri + "\n" for iri in record_iris(CultureGraph())))
