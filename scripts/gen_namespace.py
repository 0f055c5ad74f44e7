"""Regenerate src/culturegraph/namespaces.py's CG term list from ontology/culturegraph.ttl.

Usage: python scripts/gen_namespace.py > /tmp/terms.txt  (then paste), or run with --check in CI.
The tests also compare the two (tests/test_ontology.py), so a term added to one side only fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef

NS = "https://w3id.org/culturegraph/ontology#"


def ontology_terms(path: Path) -> list[str]:
    g = Graph().parse(path)
    terms = {str(s)[len(NS):] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}
    return sorted(terms)


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    for t in ontology_terms(root / "ontology" / "culturegraph.ttl"):
        sys.stdout.write(f"    {t}: URIRef\n")
