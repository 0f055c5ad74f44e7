"""The stable IRIs of the dataset: every subject under ``{base}id/`` except build-time analytics.

``tests/data/iris.txt`` holds this list for the real data; a test fails when an IRI in it disappears.
Regenerate it only deliberately (after an intended id change):

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


if __name__ == "__main__":
    from ..api import CultureGraph

    sys.stdout.write("".join(iri + "\n" for iri in stable_iris(CultureGraph())))
