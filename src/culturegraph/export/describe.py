"""Descriptions of a release: DCAT-AP (catalog, dataset, distributions, SPARQL data service), VoID
statistics and a PROV-O activity. Modelled on ``rdflib/void.py``; every node is an IRI (no blank nodes), so
the serialisation is byte-identical for the same release.

IRIs (``{base}`` = the ``base_iri`` setting): catalog ``{base}catalog``, dataset ``{base}dataset``,
distribution ``{base}distribution/{version}/{file}``, download ``{base}release/{version}/{file}``, SPARQL
service ``{base}sparql#service``, publisher ``{base}publisher``, release activity
``{base}release/{version}/activity``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, VOID

from ..namespaces import CG, DCTERMS, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD, all_prefixes
from ..store import to_ox_quads

if TYPE_CHECKING:
    from ..api import CultureGraph

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3 (rdflib's DCAT namespace is DCAT 2)
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
EXTRA_PREFIXES = {"dcat": str(DCAT), "void": str(VOID), "foaf": str(FOAF), "vcard": str(VCARD),
                  "spdx": str(SPDX), "adms": str(ADMS), "dcatap": str(DCATAP)}
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
TITLE = {"en": "culturegraph: ASEAN-Korea cultural cooperation knowledge graph",
         "ko": "culturegraph: 한-아세안 문화 협력 지식 그래프",
         "id": "culturegraph: graf pengetahuan kerja sama budaya ASEAN-Korea"}
CATALOG_TITLE = {"en": "culturegraph data catalogue", "ko": "culturegraph 데이터 카탈로그",
                 "id": "katalog data culturegraph"}
DESCRIPTION = {
    "en": "An open, ontology-backed RDF knowledge graph of ASEAN-Korea cultural cooperation: the ASEAN-Korea "
          "Innovative Culture Forum (2019 precursor, editions 2020-2025) in depth, the culture ministers' meetings, "
          "the commemorative summits, the ASEAN-Korea Centre, the ASEAN Culture House, FLY, ROUND, the cooperation "
          "fund's culture projects and Korea's heritage restoration work in Laos, Cambodia and Myanmar - editions, "
          "places, people and their roles, organisations and their leaders, documents, projects - each statement "
          "traceable to the public source that states it.",
    "ko": "한-아세안 문화 협력에 관한 온톨로지 기반 개방형 RDF 지식 그래프: 한-아세안 문화혁신 포럼(2019년 전신 행사, "
          "2020-2025년 회차)을 깊이 있게 담고, 문화장관회의, 특별정상회의, 한-아세안센터, 아세안문화원, FLY, ROUND, "
          "협력기금의 문화 사업, 라오스·캄보디아·미얀마에서의 한국 문화유산 보존 사업을 다루며, 모든 진술은 이를 밝힌 "
          "공개 출처로 추적된다.",
    "id": "Graf pengetahuan RDF terbuka berbasis ontologi tentang kerja sama budaya ASEAN-Korea: Forum Budaya "
          "Inovatif ASEAN-Korea (acara pendahulu 2019, edisi 2020-2025) secara mendalam, pertemuan menteri "
          "kebudayaan, KTT peringatan, ASEAN-Korea Centre, ASEAN Culture House, FLY, ROUND, proyek budaya dana "
          "kerja sama, dan pekerjaan pelestarian warisan Korea di Laos, Kamboja, dan Myanmar; setiap pernyataan "
          "dapat ditelusuri ke sumber publiknya.",
}
KEYWORDS = {"en": ["ASEAN", "Korea", "culture", "cultural cooperation", "forum", "knowledge graph", "linked data",
                   "cultural heritage", "film"],
            "ko": ["아세안", "한국", "문화", "문화 협력", "포럼", "지식 그래프"],
            "id": ["ASEAN", "Korea", "budaya", "kerja sama budaya", "forum", "graf pengetahuan"]}
#: BCP 47 → EU language authority (ISO 639-3 based) for the languages the data is written in.
EU_LANGUAGES = {"en": "ENG", "ko": "KOR", "id": "IND", "ja": "JPN", "vi": "VIE", "ms": "MSA", "lo": "LAO",
                "th": "THA", "km": "KHM", "my": "MYA", "zh": "ZHO", "tl": "TGL"}
#: extension → (IANA media type, EU file type)
FILE_TYPES = {"ttl": ("text/turtle", "RDF_TURTLE"), "nt": ("application/n-triples", "RDF_N_TRIPLES"),
              "nq": ("application/n-quads", "RDF_N_QUADS"), "trig": ("application/trig", "RDF_TRIG"),
              "jsonld": ("application/ld+json", "JSON_LD"), "rdf": ("application/rdf+xml", "RDF_XML"),
              "csv": ("text/csv", "CSV"), "html": ("text/html", "HTML"), "graphml": ("application/xml", "XML"),
              "gexf": ("application/xml", "XML"), "md": ("text/markdown", "TXT")}


@dataclass
class ReleaseInfo:
    """What a description needs to know about one release (all of it deterministic)."""

    version: str
    issued: str  # YYYY-MM-DD: the dataset was first issued
    modified: str  # YYYY-MM-DD: the date of this release
    base_iri: str
    endpoint_url: str
    software_version: str
    data_hash: str  # sha256 over data/ and ontology/
    canonical_hash: str  # sha256 of the RDFC-1.0 canonical N-Quads
    files: dict[str, bytes] = field(default_factory=dict)  # the distributions, by path in the bundle
    dumps: tuple[str, ...] = ()  # paths of the RDF dumps
    titles: dict[str, str] = field(default_factory=dict)  # path → title

    def download(self, path: str) -> URIRef:
        return URIRef(f"{self.base_iri}release/{self.version}/{path}")


def _iri(info: ReleaseInfo, local: str) -> URIRef:
    return URIRef(info.base_iri + local)


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def _texts(g: Graph, s: URIRef, p: URIRef, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        g.add((s, p, Literal(text, lang=lang)))


def to_bytes(g: Graph, fmt: str, base_iri: str) -> bytes:
    """Serialise a description graph deterministically (``jsonld``: expanded JSON-LD from Oxigraph)."""
    from ..io import serialize, sorted_triples

    quads = to_ox_quads((s, p, o, URIRef(base_iri + "graph/release")) for s, p, o in g)  # type: ignore[misc]
    if fmt == "jsonld":
        out = ox.serialize(sorted_triples(quads), format=ox.RdfFormat.JSON_LD)
        assert out is not None
        return out
    return serialize(quads, fmt, base_iri, extra_prefixes=EXTRA_PREFIXES)


# ---------------------------------------------------------------------------------------------- from the data
def _objects(cg: CultureGraph, pred: URIRef) -> list[ox.NamedNode | ox.Literal]:
    return [q.object for q in cg.store.quads_for_pattern(None, ox.NamedNode(str(pred)), None)
            if isinstance(q.object, ox.NamedNode | ox.Literal)]


def temporal_coverage(cg: CultureGraph) -> tuple[Literal, Literal] | None:
    """Earliest start and latest end among the events' and agreements' dates (partial dates allowed)."""
    kinds = (str(XSD.date), str(XSD.gYearMonth), str(XSD.gYear))
    sources = {q.subject for q in cg.store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                                             ox.NamedNode(str(CG.Source)))}
    dates = [q.object for p in (SCHEMA.startDate, SCHEMA.endDate, DCTERMS.date)
             for q in cg.store.quads_for_pattern(None, ox.NamedNode(str(p)), None)
             if isinstance(q.object, ox.Literal) and q.object.datatype.value in kinds and q.subject not in sources]
    if not dates:
        return None

    def lo(o: ox.Literal) -> str:
        return (o.value + "-01-01")[:10]

    def hi(o: ox.Literal) -> str:
        return (o.value + "-12-31")[:10] if len(o.value) != 7 else o.value + "-31"

    first = min(dates, key=lambda o: (lo(o), o.value))
    last = max(dates, key=lambda o: (hi(o), o.value))
    return (Literal(first.value, datatype=URIRef(first.datatype.value)),
            Literal(last.value, datatype=URIRef(last.datatype.value)))


def countries(cg: CultureGraph) -> list[tuple[str, str | None]]:
    """(IRI, ISO alpha-3) of the countries the forum was held in or drew participants from."""
    iris = {o.value for p in (CG.hostCountry, CG.participatingCountry) for o in _objects(cg, p)}
    if not iris:
        iris = {q.subject.value for q in cg.store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                                                    ox.NamedNode(str(CG.Country)))
                if isinstance(q.subject, ox.NamedNode)}
    out = []
    for iri in sorted(iris):
        alpha3 = next((q.object.value for q in cg.store.quads_for_pattern(
            ox.NamedNode(iri), ox.NamedNode(str(CG.isoAlpha3)), None) if isinstance(q.object, ox.Literal)), None)
        out.append((iri, alpha3))
    return out


def languages(cg: CultureGraph) -> list[str]:
    """Language tags of the labels, sorted."""
    return sorted({o.language for o in _objects(cg, RDFS.label) if isinstance(o, ox.Literal) and o.language})


def canonical_hash(cg: CultureGraph) -> str:
    """SHA-256 of the dataset's RDFC-1.0 canonical N-Quads (distinct lines in code point order), as hex: of the
    public graphs, which the N-Quads dump holds (not the working aids, :func:`culturegraph.derived.aid_graphs`).

    RDFC-1.0 only relabels blank nodes; without any, the canonical form is the quads' own N-Quads lines, so
    the quads are serialised as they are instead of copied into an ``ox.Dataset`` and canonicalised (at 1M
    triples that copy and its serialisation took ~45 s and ~4.5 GB)."""
    from ..derived import is_aid_graph

    base = cg.settings.base_iri
    quads = [q for q in cg.ox_quads if not is_aid_graph(getattr(q.graph_name, "value", ""), base)]
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
           or isinstance(q.graph_name, ox.BlankNode) for q in quads):
        ds = ox.Dataset(quads)
        ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        text = ox.serialize(ds, format=ox.RdfFormat.N_QUADS)
        del ds
    else:
        text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert text is not None
    lines = text.split(b"\n")
    del text  # the lines are copies: at 1M triples each is over half a gigabyte
    lines = sorted(set(lines))
    h = hashlib.sha256()
    for line in lines:
        if line:
            h.update(line + b"\n")
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------- DCAT-AP
def dcat_graph(cg: CultureGraph, info: ReleaseInfo) -> Graph:
    """DCAT-AP: catalog, dataset, one distribution per file, the SPARQL endpoint as a data service."""
    g = Graph()
    catalog, dataset, publisher = _iri(info, "catalog"), _iri(info, "dataset"), _iri(info, "publisher")
    service, contact = URIRef(info.base_iri + "sparql#service"), URIRef(info.base_iri + "publisher#contact")
    homepage = URIRef(info.base_iri)
    g.add((catalog, RDF.type, DCAT.Catalog))
    _texts(g, catalog, DCTERMS.title, CATALOG_TITLE)
    _texts(g, catalog, DCTERMS.description, DESCRIPTION)
    for s in (catalog, dataset):
        g.add((s, DCTERMS.publisher, publisher))
        g.add((s, DCTERMS.license, LICENCE))
        g.add((s, DCTERMS.issued, _date(info.issued)))
        g.add((s, DCTERMS.modified, _date(info.modified)))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCAT.service, service))
    g.add((catalog, FOAF.homepage, homepage))
    g.add((homepage, RDF.type, FOAF.Document))
    taxonomy = URIRef(EU + "data-theme")
    g.add((catalog, DCAT.themeTaxonomy, taxonomy))
    g.add((taxonomy, RDF.type, SKOS.ConceptScheme))
    g.add((taxonomy, DCTERMS.title, Literal("Data theme", lang="en")))  # the EU vocabulary's own title
    g.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    g.add((LICENCE, RDFS.label, Literal("Creative Commons Attribution 4.0 International (CC BY 4.0)", lang="en")))
    # its ADMS licence type (DCAT-AP recommends one): CC BY requires attribution
    attribution = URIRef("http://purl.org/adms/licencetype/Attribution")
    g.add((LICENCE, DCTERMS.type, attribution))
    g.add((attribution, RDF.type, SKOS.Concept))
    g.add((attribution, SKOS.prefLabel, Literal("Attribution", lang="en")))
    for lang in ["en", "ko", "id", *languages(cg)]:
        if lang in EU_LANGUAGES:
            code = URIRef(EU + "language/" + EU_LANGUAGES[lang])
            g.add((catalog, DCTERMS.language, code))
            g.add((dataset, DCTERMS.language, code))
            g.add((code, RDF.type, DCTERMS.LinguisticSystem))
    # publisher and contact point
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("culturegraph contributors", lang="en")))
    g.add((publisher, FOAF.homepage, homepage))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, VCARD.fn, Literal("culturegraph contributors")))
    g.add((contact, VCARD.hasURL, homepage))
    # the dataset
    g.add((dataset, RDF.type, DCAT.Dataset))
    _texts(g, dataset, DCTERMS.title, TITLE)
    _texts(g, dataset, DCTERMS.description, DESCRIPTION)
    g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    g.add((dataset, OWL.versionInfo, Literal(info.version)))
    g.add((dataset, DCAT_VERSION, Literal(info.version)))
    g.add((dataset, DCAT.contactPoint, contact))
    g.add((dataset, DCAT.landingPage, homepage))
    g.add((dataset, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC")))
    g.add((URIRef(EU + "access-right/PUBLIC"), RDF.type, DCTERMS.RightsStatement))
    g.add((dataset, DCTERMS.conformsTo, URIRef("https://w3id.org/culturegraph/ontology")))
    g.add((URIRef("https://w3id.org/culturegraph/ontology"), RDF.type, DCTERMS.Standard))
    g.add((dataset, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/IRREG")))
    g.add((URIRef(EU + "frequency/IRREG"), RDF.type, DCTERMS.Frequency))
    for lang, words in KEYWORDS.items():
        for w in words:
            g.add((dataset, DCAT.keyword, Literal(w, lang=lang)))
    # the EU data themes with their labels as the EU publishes them (DCAT-AP requires a prefLabel)
    for theme_code, label in (("EDUC", "Education, culture and sport"), ("INTR", "International issues")):
        concept = URIRef(EU + "data-theme/" + theme_code)
        g.add((dataset, DCAT.theme, concept))
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.prefLabel, Literal(label, lang="en")))
        g.add((concept, SKOS.inScheme, taxonomy))
    for iri, alpha3 in countries(cg):
        for place in [URIRef(iri)] + ([URIRef(EU + "country/" + alpha3)] if alpha3 else []):
            g.add((dataset, DCTERMS.spatial, place))
            g.add((catalog, DCTERMS.spatial, place))
            g.add((place, RDF.type, DCTERMS.Location))
    period = temporal_coverage(cg)
    if period:
        pot = URIRef(info.base_iri + "dataset#temporal")
        g.add((dataset, DCTERMS.temporal, pot))
        g.add((pot, RDF.type, DCTERMS.PeriodOfTime))
        g.add((pot, DCAT.startDate, period[0]))
        g.add((pot, DCAT.endDate, period[1]))
    # the SPARQL endpoint
    g.add((service, RDF.type, DCAT.DataService))
    _texts(g, service, DCTERMS.title, {"en": "culturegraph SPARQL endpoint", "ko": "culturegraph SPARQL 엔드포인트",
                                       "id": "titik akhir SPARQL culturegraph"})
    g.add((service, DCTERMS.description, Literal(
        "SPARQL 1.1 Protocol endpoint over the whole graph (the default graph is the union of the named graphs).",
        lang="en")))
    g.add((service, DCAT.endpointURL, URIRef(info.endpoint_url)))
    g.add((service, DCAT.endpointDescription, URIRef(info.endpoint_url)))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((URIRef("https://www.w3.org/TR/sparql11-protocol/"), RDF.type, DCTERMS.Standard))
    g.add((service, DCTERMS.license, LICENCE))
    g.add((service, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC")))
    g.add((service, DCTERMS.publisher, publisher))
    # DCAT-AP recommends a contact point, themes and keywords on a data service too: the dataset's
    g.add((service, DCAT.contactPoint, contact))
    for theme_code in ("EDUC", "INTR"):
        g.add((service, DCAT.theme, URIRef(EU + "data-theme/" + theme_code)))
    for lang, words in KEYWORDS.items():
        for w in words:
            g.add((service, DCAT.keyword, Literal(w, lang=lang)))
    g.add((service, DCAT.keyword, Literal("SPARQL", lang="en")))
    g.add((dataset, DCAT.distribution, URIRef(info.base_iri + "sparql#distribution")))
    _distribution(g, info, URIRef(info.base_iri + "sparql#distribution"), service)
    for path in sorted(info.files):
        _file_distribution(g, info, dataset, path)
    return g


def _distribution(g: Graph, info: ReleaseInfo, dist: URIRef, service: URIRef) -> None:
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    g.add((dist, DCTERMS.description, Literal("Query the current graph with SPARQL 1.1.", lang="en")))
    g.add((dist, DCAT.accessURL, URIRef(info.endpoint_url)))
    g.add((dist, DCAT.accessService, service))
    g.add((dist, DCTERMS.license, LICENCE))
    g.add((dist, DCATAP.availability, URIRef(EU + "planned-availability/AVAILABLE")))
    g.add((URIRef(EU + "planned-availability/AVAILABLE"), RDF.type, SKOS.Concept))
    g.add((URIRef(EU + "planned-availability/AVAILABLE"), SKOS.prefLabel, Literal("available", lang="en")))
    g.add((dist, DCTERMS.format, URIRef(EU + "file-type/SPARQLQ")))
    g.add((URIRef(EU + "file-type/SPARQLQ"), RDF.type, DCTERMS.MediaTypeOrExtent))


def _file_distribution(g: Graph, info: ReleaseInfo, dataset: URIRef, path: str) -> None:
    data = info.files[path]
    dist = URIRef(f"{info.base_iri}distribution/{info.version}/{path}")
    url = info.download(path)
    gz = path.endswith(".gz")
    ext = path.removesuffix(".gz").rsplit(".", 1)[-1]
    media, eu_type = FILE_TYPES.get(ext, ("application/octet-stream", "BIN"))
    checksum = URIRef(f"{dist}#sha256")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(info.titles.get(path, path), lang="en")))
    g.add((dist, DCTERMS.description, Literal(f"{info.titles.get(path, path)}: {path} in release {info.version}.",
                                              lang="en")))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.mediaType, URIRef(IANA + media)))
    g.add((URIRef(IANA + media), RDF.type, DCTERMS.MediaType))
    g.add((dist, DCTERMS.format, URIRef(EU + "file-type/" + eu_type)))
    g.add((URIRef(EU + "file-type/" + eu_type), RDF.type, DCTERMS.MediaTypeOrExtent))
    if gz:
        g.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        g.add((URIRef(IANA + "application/gzip"), RDF.type, DCTERMS.MediaType))
    g.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
    g.add((dist, DCTERMS.license, LICENCE))
    g.add((dist, DCTERMS.issued, _date(info.modified)))
    g.add((dist, DCATAP.availability, URIRef(EU + "planned-availability/STABLE")))
    g.add((URIRef(EU + "planned-availability/STABLE"), RDF.type, SKOS.Concept))
    g.add((URIRef(EU + "planned-availability/STABLE"), SKOS.prefLabel, Literal("stable", lang="en")))


# ---------------------------------------------------------------------------------------------- VoID
def _partition_iri(info: ReleaseInfo, kind: str, iri: str) -> URIRef:
    for prefix, ns in sorted(all_prefixes(info.base_iri).items()):
        if iri.startswith(ns) and iri[len(ns):].replace("-", "").replace("_", "").isalnum():
            return URIRef(f"{info.base_iri}dataset#{kind}-{prefix}-{iri[len(ns):]}")
    return URIRef(f"{info.base_iri}dataset#{kind}-{hashlib.sha256(iri.encode()).hexdigest()[:12]}")


def void_graph(cg: CultureGraph, info: ReleaseInfo) -> Graph:
    """VoID: size, class and property partitions, the Wikidata linkset, examples, endpoint and dumps."""
    from .rdf import triples as distinct_triples

    g = Graph()
    dataset = _iri(info, "dataset")
    triples = distinct_triples(cg)  # within a release, the dumps' own sorted distinct triples
    subjects = {t.subject for t in triples}
    classes: Counter[str] = Counter()
    props: Counter[str] = Counter()
    for t in triples:
        props[t.predicate.value] += 1
        if t.predicate.value == str(RDF.type) and isinstance(t.object, ox.NamedNode):
            classes[t.object.value] += 1
    g.add((dataset, RDF.type, VOID.Dataset))
    _texts(g, dataset, DCTERMS.title, TITLE)
    g.add((dataset, DCTERMS.license, LICENCE))
    g.add((dataset, VOID.triples, Literal(len(triples))))
    g.add((dataset, VOID.entities, Literal(sum(1 for s in subjects if isinstance(s, ox.NamedNode)))))
    g.add((dataset, VOID.distinctSubjects, Literal(len(subjects))))
    g.add((dataset, VOID.distinctObjects, Literal(len({t.object for t in triples}))))
    g.add((dataset, VOID.classes, Literal(len(classes))))
    g.add((dataset, VOID.properties, Literal(len(props))))
    g.add((dataset, VOID.uriSpace, Literal(info.base_iri + "id/")))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(info.endpoint_url)))
    g.add((dataset, VOID.feature, URIRef("http://www.w3.org/ns/formats/N-Quads")))
    g.add((dataset, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    for path in info.dumps:
        g.add((dataset, VOID.dataDump, info.download(path)))
    for ns in ("https://w3id.org/culturegraph/ontology#", str(SCHEMA), str(SKOS), str(DCTERMS), str(PROV),
               "http://www.w3.org/ns/org#", str(OWL), str(RDFS)):
        g.add((dataset, VOID.vocabulary, URIRef(ns)))
    for cls, n in sorted(classes.items()):
        part = _partition_iri(info, "class", cls)
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n)))
    for prop, n in sorted(props.items()):
        part = _partition_iri(info, "property", prop)
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n)))
    for cls in (CG.Edition, CG.Session, CG.Person, CG.Organisation, CG.Theme):
        first = min((q.subject.value for q in cg.store.quads_for_pattern(
            None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(cls))) if isinstance(q.subject, ox.NamedNode)),
            default=None)
        if first:
            g.add((dataset, VOID.exampleResource, URIRef(first)))
    links = sum(1 for t in triples if t.predicate.value == str(OWL.sameAs) and isinstance(t.object, ox.NamedNode)
                and t.object.value.startswith(str(WD)))
    wikidata = URIRef("https://www.wikidata.org/")
    linkset = URIRef(info.base_iri + "dataset#links-wikidata")
    g.add((dataset, VOID.subset, linkset))
    g.add((linkset, RDF.type, VOID.Linkset))
    g.add((linkset, VOID.linkPredicate, OWL.sameAs))
    g.add((linkset, VOID.subjectsTarget, dataset))
    g.add((linkset, VOID.objectsTarget, wikidata))
    g.add((linkset, VOID.triples, Literal(links)))
    g.add((wikidata, RDF.type, VOID.Dataset))
    g.add((wikidata, FOAF.homepage, wikidata))
    g.add((wikidata, VOID.uriSpace, Literal(str(WD))))
    return g


# ---------------------------------------------------------------------------------------------- PROV-O
def prov_graph(cg: CultureGraph, info: ReleaseInfo) -> Graph:
    """PROV-O: the release activity, the data snapshot it used, the software, and the graph it generated."""
    g = Graph()
    rel = f"{info.base_iri}release/{info.version}/"
    activity, source = URIRef(rel + "activity"), URIRef(rel + "source-data")
    graph, dataset = URIRef(rel + "graph"), _iri(info, "dataset")
    software = URIRef(f"{info.base_iri}software/culturegraph/{info.software_version}")
    when = Literal(info.modified + "T00:00:00Z", datatype=XSD.dateTime)
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"culturegraph release {info.version}", lang="en")))
    g.add((activity, PROV.used, source))
    g.add((activity, PROV.wasAssociatedWith, software))
    g.add((activity, PROV.startedAtTime, when))
    g.add((activity, PROV.endedAtTime, when))
    g.add((activity, PROV.generated, graph))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, RDFS.label, Literal(f"culturegraph {info.software_version}", lang="en")))
    g.add((software, OWL.versionInfo, Literal(info.software_version)))
    g.add((source, RDF.type, PROV.Entity))
    g.add((source, RDFS.label, Literal("the data/ and ontology/ files the release was built from", lang="en")))
    g.add((source, DCTERMS.identifier, Literal("sha256:" + info.data_hash)))
    _checksum(g, URIRef(rel + "source-data#sha256"), source, info.data_hash,
              "SHA-256 over the sorted relative paths and SHA-256 digests of every file in data/ and ontology/")
    g.add((graph, RDF.type, PROV.Entity))
    g.add((graph, RDFS.label, Literal(f"the culturegraph graph, release {info.version}", lang="en")))
    g.add((graph, PROV.wasGeneratedBy, activity))
    g.add((graph, PROV.wasDerivedFrom, source))
    g.add((graph, PROV.generatedAtTime, when))
    g.add((graph, PROV.specializationOf, dataset))
    g.add((graph, OWL.versionInfo, Literal(info.version)))
    _checksum(g, URIRef(rel + "graph#rdfc-1.0-sha256"), graph, info.canonical_hash,
              "SHA-256 of the RDFC-1.0 canonical N-Quads of the dataset (one line per quad, sorted)")
    g.add((URIRef(rel + "graph#rdfc-1.0-sha256"), DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/rdf-canon/")))
    return g


def _checksum(g: Graph, node: URIRef, of: URIRef, value: str, comment: str) -> None:
    g.add((of, SPDX.checksum, node))
    g.add((node, RDF.type, SPDX.Checksum))
    g.add((node, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((node, SPDX.checksumValue, Literal(value, datatype=XSD.hexBinary)))
    g.add((node, RDFS.comment, Literal(comment, lang="en")))
