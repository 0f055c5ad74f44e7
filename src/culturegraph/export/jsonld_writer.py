"""The compacted JSON-LD dump written node by node from the sorted triples, with pyLD's answers where it matters.

Why not pyLD's ``from_rdf`` + ``compact`` on the whole graph: at a million triples that takes ~2 minutes and
holds the graph three more times in Python dictionaries (pyLD's RDF dataset, the expanded form, the compacted
form). The dump's shape is narrow — a node per subject, ``@id``, ``@type`` and one array of values per property,
no lists, graphs or nesting — so this module builds each compacted node straight from the subject's triples.
It does not re-implement the parts of JSON-LD that are easy to get wrong: every term is chosen and every IRI
compacted by pyLD's own IRI compaction (memoised, :func:`.jsonld.processor`), and literals become JSON-LD values
through pyLD's own ``_rdf_to_object``. What it does itself is the assembly, following pyLD's ``_compact`` and
``_compact_value`` for the kinds of term the context has (plain, ``@type`` coerced, ``@language`` maps).

Whenever the input or the context leaves that narrow shape (RDF lists, JSON literals, a context with scoped
contexts, ``@nest``, index/id/type/graph/list containers or a default language), :func:`compact_document`
returns None and the caller uses pyLD for the whole graph. ``tests/test_export.py`` requires the same document
as plain pyLD on the real data and on a graph made to hit the unusual cases.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_LIST_TERMS = frozenset((RDF + "first", RDF + "rest", RDF + "nil"))
_NOT_HANDLED_DATATYPES = frozenset((RDF + "JSON",))
_HANDLED_CONTAINERS = (None, "@language", "@set")


def _id(term: Any) -> str:
    """pyLD's id string for a subject or object: the IRI, or ``_:`` and the blank node's id."""
    return term.value if isinstance(term, ox.NamedNode) else "_:" + term.value


def _pyld_as_expected() -> bool:
    """Whether pyLD's internals are the ones this module calls (the memoised processor checks the signature
    of ``_compact_iri``; ``_rdf_to_object`` must exist)."""
    from pyld import jsonld

    from .jsonld import _processor_class

    return _processor_class() is not jsonld.JsonLdProcessor and callable(
        getattr(jsonld.JsonLdProcessor, "_rdf_to_object", None))


class _Compactor:
    """Compaction of single nodes against one processed context."""

    def __init__(self, context: dict[str, Any]) -> None:
        from .jsonld import processor, refuse_remote

        self.proc = processor()
        options = {"processingMode": "json-ld-1.1", "documentLoader": refuse_remote, "base": ""}
        initial = self.proc.process_context(None, None, options)
        self.ctx = self.proc.process_context(initial, {"@context": context}, options)
        self.alias = {k: self.proc._compact_iri(self.ctx, k) for k in
                      ("@id", "@type", "@value", "@language", "@none", "@graph")}
        self.terms: dict[str, tuple[Any, Any]] = {}  # term -> (its @type, its container)

    def supported(self) -> bool:
        """Whether the context stays within the kinds of term this module assembles."""
        if "@language" in self.ctx or "@direction" in self.ctx:
            return False
        if (self.ctx["mappings"].get(self.alias["@type"]) or {}).get("@container"):
            return False  # "@type" aliased with a container: pyLD then keeps types in an array
        for mapping in self.ctx["mappings"].values():
            if not mapping:
                continue
            if "@context" in mapping or mapping.get("@nest") or "@index" in mapping or "@direction" in mapping:
                return False
            if "@language" in mapping:  # a term with its own language: pyLD's rules for it are not copied here
                return False
            container = mapping.get("@container")
            if container and any(c not in _HANDLED_CONTAINERS for c in container):
                return False
        return True

    def _term(self, term: str) -> tuple[Any, Any]:
        got = self.terms.get(term)
        if got is None:
            mapping = self.ctx["mappings"].get(term) or {}
            got = self.terms[term] = (mapping.get("@type"), tuple(mapping.get("@container") or ()))
        return got

    def node(self, subject: str, triples: list[ox.Triple]) -> dict[str, Any]:
        """One compacted node object: pyLD's ``from_rdf`` of the subject's triples, then ``_compact``."""
        proc, ctx = self.proc, self.ctx
        types: list[str] = []
        values: dict[str, list[dict[str, Any]]] = {}
        for t in triples:
            o = t.object
            if t.predicate.value == RDF + "type" and not isinstance(o, ox.Literal):
                types.append(_id(o))
                continue
            if isinstance(o, ox.Literal):
                lit: dict[str, str] = {"type": "literal", "value": o.value}
                if o.language:
                    lit["language"] = o.language
                else:
                    lit["datatype"] = o.datatype.value
                value = proc._rdf_to_object(lit, True, None)
            else:
                value = {"@id": _id(o)}
            values.setdefault(t.predicate.value, []).append(value)
        out: dict[str, Any] = {self.alias["@id"]: proc._compact_iri(ctx, subject, vocab=False, base="")}
        if types:
            compacted = [proc._compact_iri(ctx, iri, vocab=True) for iri in types]
            out[self.alias["@type"]] = compacted[0] if len(compacted) == 1 else compacted
        for prop in sorted(values):
            for value in values[prop]:
                term = proc._compact_iri(ctx, prop, value, vocab=True)
                type_, container = self._term(term)
                item = self._value(term, type_, value)
                if "@language" in container:
                    if isinstance(item, dict) and "@value" in item:  # pyLD tests the keyword, not its alias
                        item = item["@value"]
                    key = value.get("@language") or self.alias["@none"]
                    _add(out.setdefault(term, {}), key, item, "@set" in container)
                else:
                    _add(out, term, item, "@set" in container)
        return out

    def _value(self, term: str, type_: Any, value: dict[str, Any]) -> Any:
        """pyLD's ``_compact_value`` for a value object or node reference, for a context without a default
        language, per-term languages, directions or indexes (:meth:`supported`)."""
        proc, ctx, alias = self.proc, self.ctx, self.alias
        if "@value" in value:
            if type_ != "@none":
                if "@type" in value and value["@type"] == type_:
                    return value["@value"]
                if len(value) == 1:
                    return value["@value"]
            out = {}
            if "@type" in value:
                out[alias["@type"]] = proc._compact_iri(ctx, value["@type"], vocab=True)
            elif "@language" in value:
                out[alias["@language"]] = value["@language"]
            out[alias["@value"]] = value["@value"]
            return out
        compacted = proc._compact_iri(ctx, value["@id"], vocab=(type_ == "@vocab"), base="")
        if type_ in ("@id", "@vocab"):
            return compacted
        return {alias["@id"]: compacted}


def _add(target: dict[str, Any], key: str, item: Any, as_array: bool) -> None:
    """pyLD's ``add_value`` for one value (duplicates kept, as pyLD keeps them)."""
    if key in target:
        if not isinstance(target[key], list):
            target[key] = [target[key]]
        target[key].append(item)
    else:
        target[key] = [item] if as_array else item


def compact_document(triples: list[ox.Triple], context: dict[str, Any]) -> dict[str, Any] | None:
    """``{"@context": …, "@graph": [nodes]}`` for distinct triples in (s, p, o) order, equal to what pyLD's
    ``from_rdf`` (native types) then ``compact`` give; None if the graph or the context is outside the
    shape this module handles (the caller then asks pyLD)."""
    if not _pyld_as_expected():
        return None
    compactor = _Compactor(context)
    if not compactor.supported():
        return None
    groups: list[tuple[str, list[ox.Triple]]] = []
    for t in triples:
        o = t.object
        if t.predicate.value in _LIST_TERMS or (isinstance(o, ox.NamedNode) and o.value in _LIST_TERMS):
            return None
        if isinstance(o, ox.Literal) and (o.datatype.value in _NOT_HANDLED_DATATYPES
                                          or o.datatype.value.startswith("https://www.w3.org/ns/i18n#")):
            return None
        subject = _id(t.subject)
        if groups and groups[-1][0] == subject:
            groups[-1][1].append(t)
        else:
            groups.append((subject, [t]))
    if len(groups) < 2:  # pyLD would not wrap a single node in @graph
        return None
    groups.sort(key=lambda g: g[0])  # pyLD orders nodes by id string, not by N-Triples form
    return {"@context": context, compactor.alias["@graph"]: [compactor.node(s, ts) for s, ts in groups]}
