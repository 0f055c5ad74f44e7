"""The ontology is OWL 2 DL, and so is the built data read as ``docs/data-model.md`` ("Reasoning") says.

Three checks, two of them by third-party tools on Debian's headless Java (``/usr/bin/java``):

* **OWL API 5** (Debian's ``libowlapi-java``), its ``OWL2DLProfile``: the reference implementation of the OWL 2
  profiles, the checker behind Protégé and ROBOT's ``validate-profile``. It ships no command, so the test writes
  a short Java program and runs it with the JRE's source launcher (``java File.java``; Debian's
  ``default-jre-headless`` has the compiler module that needs). ROBOT itself is on Maven Central, which this
  workplace cannot reach; owlready2 bundles OWL API 3.4.3 (Pellet's ``info`` prints a profile), but that
  version predates RDF 1.1 and reads ``rdf:langString`` as a class, so it is not the judge here.
* **HermiT** (bundled with owlready2, run through owlready2's ``sync_reasoner`` as a Python user would):
  ontology + data are consistent, with the date literals left uninterpreted as the docs tell a reasoner user.
* **A walk over the ontology file and the built quads** for what OWL API forgives: its parser silently drops a
  redeclaration of reserved vocabulary (``rdf:object a owl:ObjectProperty``) instead of reporting it.

Each checker is shown a deliberate violation and must catch it. On CI (``CI`` set) a missing Java or OWL API
is a failure, elsewhere a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from culturegraph.namespaces import ONTOLOGY_IRI

ROOT = Path(__file__).resolve().parents[1]
ONTO = ROOT / "ontology" / "culturegraph.ttl"
CG = ONTOLOGY_IRI + "#"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # open (rdflib's closed one warns when pytest collects)

# ------------------------------------------------------------------------------------------------ the rules
RESERVED = (str(RDF), str(RDFS), str(OWL), str(XSD))  # OWL 2 Structural Specification, 2.4
DECLARATION_KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                     RDFS.Datatype, OWL.NamedIndividual}
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# the reserved terms RDF-encoded OWL 2 uses as they are: axioms, and the built-in annotation properties
AXIOM_PREDICATES = {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf,
                    OWL.equivalentClass, OWL.equivalentProperty, OWL.disjointWith, OWL.sameAs,
                    OWL.differentFrom, OWL.versionIRI, OWL.imports}
BUILTIN_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo,
                       OWL.deprecated, OWL.priorVersion, OWL.backwardCompatibleWith, OWL.incompatibleWith}
TYPE_OBJECTS = DECLARATION_KINDS | {OWL.Ontology, OWL.Thing}
# OWL 2 datatype map (Structural Specification, 4), plus rdf:langString, RDF 1.1's name for language-tagged
# strings, which OWL API 5 and HermiT accept
DATATYPES = {RDFS.Literal, RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, OWL.real, OWL.rational} | {
    XSD[n] for n in ["decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
                     "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
                     "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString", "token",
                     "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary", "anyURI",
                     "dateTime", "dateTimeStamp"]}
# kept in the data on purpose (schema.org and SPARQL need them), not in the datatype map: docs/data-model.md
DATE_TYPES = {XSD.date, XSD.gYear, XSD.gYearMonth}
CLAIM_VOCABULARY = {RDF.subject, RDF.predicate, RDF.object, RDF.value, RDF.Statement}
# set aside by a DL tool, as docs/data-model.md says: claims are RDF reifications, which OWL 2 DL reserves
SET_ASIDE = CLAIM_VOCABULARY


Triple = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]


def reserved(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(RESERVED)


def declarations(onto: Graph) -> dict[URIRef, set[URIRef]]:
    kinds: dict[URIRef, set[URIRef]] = {}
    for s, o in onto.subject_objects(RDF.type):
        if o in DECLARATION_KINDS and isinstance(s, URIRef):
            kinds.setdefault(s, set()).add(o)  # type: ignore[arg-type]
    return kinds


def ontology_problems(onto: Graph) -> list[tuple[str, str]]:
    """(problem, term) for every structural OWL 2 DL condition the ontology breaks."""
    kinds = declarations(onto)
    problems: list[tuple[str, str]] = []
    for s in {s for s in onto.subjects() if reserved(s)}:
        problems.append(("reserved vocabulary redeclared or described", str(s)))
    for term, ks in kinds.items():
        if len(ks & set(PROPERTY_KINDS)) > 1:
            problems.append(("declared as more than one kind of property", str(term)))
        if {OWL.Class, RDFS.Datatype} <= ks:
            problems.append(("declared both class and datatype", str(term)))

    def kind(t: object) -> URIRef | None:
        return next((k for k in PROPERTY_KINDS if k in kinds.get(t, ())), None)  # type: ignore[arg-type]

    def is_class(t: object) -> bool:
        return t == OWL.Thing or OWL.Class in kinds.get(t, ())  # type: ignore[arg-type]

    for s, p, o in onto:
        if p == RDFS.subClassOf and not (is_class(s) and is_class(o)):
            problems.append(("subclass axiom between non-classes", f"{s} ⊑ {o}"))
        elif p in (RDFS.subPropertyOf, OWL.inverseOf) and (kind(s) is None or kind(s) != kind(o)):
            problems.append((f"{p.n3()} between properties of different or no kinds", f"{s} / {o}"))
        elif p == RDFS.domain and not is_class(o):
            problems.append(("domain is not a declared class", f"{s} {o}"))
        elif p == RDFS.range and kind(s) == OWL.ObjectProperty and not is_class(o):
            problems.append(("object property range is not a declared class", f"{s} {o}"))
        elif p == RDFS.range and kind(s) == OWL.DatatypeProperty and o not in DATATYPES \
                and RDFS.Datatype not in kinds.get(o, ()):  # type: ignore[arg-type]
            problems.append(("data property range outside the OWL 2 datatype map", f"{s} {o}"))
        elif p == RDF.type and reserved(o) and o not in TYPE_OBJECTS:
            problems.append(("typed with reserved vocabulary", f"{s} a {o}"))
    return problems


def data_problems(triples: Iterable[Triple], onto: Graph) -> list[tuple[str, str]]:
    """(problem, term) for every triple of the built data that uses a term against its declaration (or an
    undeclared term): an object property with a literal, a data property with an IRI, reserved vocabulary
    outside what OWL 2 builds in, a literal datatype outside the OWL 2 datatype map."""
    kinds = declarations(onto)
    problems: set[tuple[str, str]] = set()
    for _, p, o in triples:
        if reserved(p):
            if p == RDF.type:
                if reserved(o) and o not in TYPE_OBJECTS:
                    problems.add(("reserved class used as a type", str(o)))
                elif not reserved(o) and OWL.Class not in kinds.get(o, ()):  # type: ignore[arg-type]
                    problems.add(("type is not a declared class", str(o)))
            elif p == OWL.sameAs and isinstance(o, Literal):
                problems.add(("owl:sameAs with a literal", str(p)))
            elif p not in AXIOM_PREDICATES | BUILTIN_ANNOTATIONS:
                problems.add(("reserved property used in the data", str(p)))
            continue
        ks = kinds.get(p, set())
        if not ks & set(PROPERTY_KINDS):
            problems.add(("property is not declared", str(p)))
        elif OWL.ObjectProperty in ks and isinstance(o, Literal):
            problems.add(("object property with a literal value", str(p)))
        elif OWL.DatatypeProperty in ks and not isinstance(o, Literal):
            problems.add(("data property with an IRI or blank node value", str(p)))
        elif OWL.ObjectProperty in ks and reserved(o):
            problems.add(("object property naming an individual with reserved vocabulary", str(p)))
        if isinstance(o, Literal) and OWL.AnnotationProperty not in ks:
            dt = o.datatype or (RDF.langString if o.language else XSD.string)
            if dt in DATE_TYPES:
                problems.add(("date outside the OWL 2 datatype map (documented)", str(dt)))
            elif dt not in DATATYPES:
                problems.add(("literal datatype outside the OWL 2 datatype map", str(dt)))
    return sorted(problems)


def undocumented(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The problems left once the documented date datatypes and the claims' reification are set aside."""
    return [(what, term) for what, term in problems
            if not what.endswith("(documented)") and URIRef(term) not in SET_ASIDE]


# ------------------------------------------------------------------------------------------------ the data
def rdflib_term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


def built_triples(cg) -> list[Triple]:
    """Ontology, data and derived analytics as the dumps carry them, as one graph (the union of the named
    graphs, as the endpoint's default graph)."""
    seen = {(q.subject, q.predicate, q.object) for q in cg.ox_quads}
    return [(rdflib_term(s), URIRef(p.value), rdflib_term(o)) for s, p, o in seen]  # type: ignore[misc]


def dl_reading(triples: list[Triple], *, dates: bool) -> list[Triple]:
    """The triples docs/data-model.md has a DL tool read: the claims' reification set aside, and the date
    literals too unless ``dates``."""
    def keep(t: Triple) -> bool:
        if t[1] in SET_ASIDE or (t[1] == RDF.type and t[2] in SET_ASIDE):
            return False
        return dates or not (isinstance(t[2], Literal) and t[2].datatype in DATE_TYPES)

    return [t for t in triples if keep(t)]


def write_nt(triples: Iterable[Triple], path: Path) -> Path:
    g = Graph()
    for t in triples:
        g.add(t)
    g.serialize(path, format="nt", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(cg) -> list[Triple]:
    return built_triples(cg)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTO, format="turtle")


# ------------------------------------------------------------------------------------------------ tools
def need(ok: bool, what: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing: scripts/test.sh should have installed it")
        pytest.skip(f"{what} is not installed")


JAVA_DIR = Path("/usr/share/java")
# OWL API 5.1 and what it loads (the Depends of Debian's libowlapi-java that the RDF parsers and the profile
# checker reach), with the no-op logger
OWLAPI_JARS = ["owlapi-distribution", "guava", "caffeine", "commons-io", "commons-codec", "slf4j-api", "slf4j-nop",
               "jsr305", "atinject-jsr330-api", "hppcrt", "xz", "commons-rdf-api", "jackson-core", "jackson-databind",
               "jackson-annotations", "rdf4j-model-api", "rdf4j-model", "rdf4j-model-vocabulary", "rdf4j-rio-api",
               "rdf4j-rio-datatypes", "rdf4j-rio-languages", "rdf4j-util"]
PROFILE_CHECK = """
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFDocumentFormat;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;

public class ProfileCheck {
  public static void main(String[] args) throws Exception {
    OWLOntologyManager m = OWLManager.createOWLOntologyManager();
    OWLOntology o = m.loadOntologyFromOntologyDocument(new File(args[0]));
    OWLDocumentFormat f = m.getOntologyFormat(o);
    if (f instanceof RDFDocumentFormat)
      ((RDFDocumentFormat) f).getOntologyLoaderMetaData().ifPresent(md -> md.getUnparsedTriples().forEach(
          t -> System.out.println("UnparsedTriple\\t" + t)));
    for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(o).getViolations())
      System.out.println(v.getClass().getSimpleName() + "\\t" + v.toString().replace('\\n', ' '));
    System.out.println("axioms\\t" + o.getAxiomCount());
  }
}
"""


@pytest.fixture(scope="module")
def owl2dl(tmp_path_factory: pytest.TempPathFactory):
    """A function: OWL API's OWL 2 DL profile violations (and unparsed triples) of an RDF file, as
    (kind, message) pairs."""
    need(shutil.which("java") is not None, "Java (Debian's default-jre-headless)")
    jars = [JAVA_DIR / f"{name}.jar" for name in OWLAPI_JARS]
    need(all(j.is_file() for j in jars), "OWL API (Debian's libowlapi-java)")
    src = tmp_path_factory.mktemp("owlapi") / "ProfileCheck.java"
    src.write_text(PROFILE_CHECK, encoding="utf-8")

    def check(path: Path) -> list[tuple[str, str]]:
        res = subprocess.run(["java", "-cp", os.pathsep.join(map(str, jars)), str(src), str(path)],
                             capture_output=True, text=True, timeout=300, check=False)
        assert res.returncode == 0, res.stderr[-3000:]
        lines = [tuple(line.split("\t", 1)) for line in res.stdout.splitlines() if "\t" in line]
        assert lines and lines[-1][0] == "axioms" and int(lines[-1][1]) > 1000, res.stdout[-2000:]
        return [(k, v) for k, v in lines[:-1]]

    return check


def hermit_consistent(path: Path, *, ignore_unsupported_datatypes: bool) -> bool:
    """HermiT's answer through owlready2 (a fresh World each time): False when inconsistent."""
    import owlready2

    need(shutil.which(owlready2.JAVA_EXE) is not None, "Java (Debian's default-jre-headless)")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    try:
        owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=ignore_unsupported_datatypes)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    finally:
        world.close()
    return True


def summary(problems: list[tuple[str, str]]) -> str:
    return "\n".join(f"{n:5} {k}: {m[:300]}" for (k, m), n in Counter(problems).most_common(40))


# ------------------------------------------------------------------------------------------------ tests
def test_ontology_redeclares_no_reserved_vocabulary_and_uses_every_term_by_its_kind(onto: Graph) -> None:
    assert ontology_problems(onto) == []
    kinds = declarations(onto)
    assert not [t for t in kinds if reserved(t)]
    assert sum(OWL.ObjectProperty in k for k in kinds.values()) > 50  # the walk saw the declarations


def test_built_data_uses_every_property_by_its_declared_kind(built: list[Triple], onto: Graph) -> None:
    """Every property and class of the built data (ontology, data, derived analytics) is declared and used
    as its kind; what is left is documented: the date datatypes and the claims' reification."""
    assert len(built) > 10_000
    problems = data_problems(built, onto)
    assert undocumented(problems) == [], summary(undocumented(problems))
    assert {URIRef(t) for what, t in problems if what.endswith("(documented)")} <= DATE_TYPES


def test_walk_catches_each_kind_of_violation(built: list[Triple], onto: Graph) -> None:
    bad = Graph()
    for t in onto:
        bad.add(t)
    bad.add((RDF.object, RDF.type, OWL.ObjectProperty))  # the original fault
    bad.add((URIRef(CG + "gloss"), RDF.type, OWL.ObjectProperty))  # also a data property
    bad.add((URIRef(CG + "Claim"), RDFS.subClassOf, RDF.Statement))
    found = {(what, term.split(" ")[0]) for what, term in ontology_problems(bad)}
    assert ("reserved vocabulary redeclared or described", str(RDF.object)) in found
    assert ("declared as more than one kind of property", CG + "gloss") in found
    assert ("subclass axiom between non-classes", CG + "Claim") in found

    edition = next(s for s, p, o in built if p == RDF.type and o == URIRef(CG + "Edition"))
    extra: list[Triple] = [(edition, URIRef(CG + "hostCity"), Literal("Busan")),
                           (edition, URIRef(CG + "ordinal"), URIRef(CG + "First")),
                           (edition, URIRef(CG + "hostTown"), URIRef(CG + "Busan")),
                           (edition, URIRef(CG + "theme"), RDFS.label),
                           (edition, RDF.type, URIRef(CG + "Edtion")),
                           (edition, URIRef(CG + "ordinal"), Literal("1", datatype=XSD.nonsense))]
    found = set(data_problems(extra, onto))
    assert found == {("object property with a literal value", CG + "hostCity"),
                     ("data property with an IRI or blank node value", CG + "ordinal"),
                     ("property is not declared", CG + "hostTown"),
                     ("object property naming an individual with reserved vocabulary", CG + "theme"),
                     ("type is not a declared class", CG + "Edtion"),
                     ("literal datatype outside the OWL 2 datatype map", str(XSD.nonsense))}


@pytest.mark.slow
def test_ontology_is_in_the_owl2_dl_profile(owl2dl, tmp_path: Path) -> None:
    """OWL API's OWL 2 DL profile check of the ontology file finds nothing, and finds what is put in a copy."""
    assert owl2dl(ONTO) == []
    bad = tmp_path / "bad.ttl"
    bad.write_text(ONTO.read_text(encoding="utf-8") + "\ncg:gloss a owl:ObjectProperty .\n"
                   "cg:Claim rdfs:subClassOf rdf:Statement .\n", encoding="utf-8")
    kinds = {k for k, _ in owl2dl(bad)}
    assert {"IllegalPunning", "UseOfReservedVocabularyForClassIRI"} <= kinds, kinds


@pytest.mark.slow
def test_built_data_is_in_the_owl2_dl_profile_read_as_documented(owl2dl, built: list[Triple],
                                                                   tmp_path: Path) -> None:
    """Ontology + built data, with the date literals and the claims' reification set aside (the reading
    docs/data-model.md gives a DL tool), are OWL 2 DL; with them, OWL API names exactly those."""
    reading = dl_reading(built, dates=False)
    assert len(built) - len(reading) < len(built) // 5
    assert owl2dl(write_nt(reading, tmp_path / "reading.nt")) == []
    dated = dl_reading(built, dates=True)
    kinds = Counter(k for k, _ in owl2dl(write_nt(dated, tmp_path / "dated.nt")))
    assert set(kinds) == {"UseOfUndeclaredDatatype", "UseOfDefinedDatatypeInLiteral"}, kinds


@pytest.mark.slow
def test_hermit_finds_ontology_and_data_consistent_with_dates_left_uninterpreted(built: list[Triple],
                                                                                  tmp_path: Path) -> None:
    """What docs/data-model.md tells a reasoner user to do: claims set aside, dates kept but not interpreted
    (HermiT's ignoreUnsupportedDatatypes). Without that switch HermiT refuses the dates; a literal against its
    range in a copy makes the data inconsistent."""
    owlready2 = pytest.importorskip("owlready2")
    reading = dl_reading(built, dates=True)
    path = write_nt(reading, tmp_path / "reading.nt")
    assert hermit_consistent(path, ignore_unsupported_datatypes=True)
    with pytest.raises(owlready2.OwlReadyJavaError, match=r"XMLSchema#(date|gYear|gYearMonth)"):
        hermit_consistent(path, ignore_unsupported_datatypes=False)
    edition = next(s for s, p, o in built if p == RDF.type and o == URIRef(CG + "Edition"))
    bad = write_nt([*reading, (edition, URIRef(CG + "ordinal"), Literal("first"))], tmp_path / "bad.nt")
    assert not hermit_consistent(bad, ignore_unsupported_datatypes=True)
