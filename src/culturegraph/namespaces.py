"""Namespaces and prefix bindings.

``CG`` is a closed namespace: a misspelt term (``CG.Editon``) fails at import time instead of
writing a triple nobody can query. Its term list is generated from ``ontology/culturegraph.ttl`` by
``scripts/gen_namespace.py``; ``tests/test_ontology.py`` fails when the two drift apart.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/culturegraph/ontology"
DEFAULT_BASE_IRI = "https://w3id.org/culturegraph/"

ORG = Namespace("http://www.w3.org/ns/org#")
WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = SDO  # https://schema.org/


class CG(DefinedNamespace):
    """The culturegraph ontology namespace (closed)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    Agency: URIRef
    Agreement: URIRef
    AgreementKind: URIRef
    AgreementKindScheme: URIRef
    ArtisticDirector: URIRef
    ArtsProgrammeProject: URIRef
    Association: URIRef
    Attendee: URIRef
    CapacityBuilding: URIRef
    Ceremony: URIRef
    Chair: URIRef
    ChairsStatement: URIRef
    City: URIRef
    Claim: URIRef
    Closing: URIRef
    CoChair: URIRef
    CoOrganiser: URIRef
    CoParticipation: URIRef
    Committee: URIRef
    CommitteeMeetingSeries: URIRef
    Company: URIRef
    Concert: URIRef
    ConcertSeries: URIRef
    Conductor: URIRef
    Conference: URIRef
    ConfidenceLevel: URIRef
    ConfidenceScheme: URIRef
    Conflict: URIRef
    CongratulatoryRemarks: URIRef
    Contest: URIRef
    Country: URIRef
    CulturalCentre: URIRef
    CultureWeek: URIRef
    CultureWeekSeries: URIRef
    Curator: URIRef
    Declaration: URIRef
    DerivedRecord: URIRef
    DesignatedYear: URIRef
    Director: URIRef
    Discussant: URIRef
    DisplayGraph: URIRef
    Edition: URIRef
    EditionParticipation: URIRef
    EventKind: URIRef
    EventKindScheme: URIRef
    ExhibitingArtist: URIRef
    Exhibition: URIRef
    ExhibitionSeries: URIRef
    Festival: URIRef
    FestivalSeries: URIRef
    FilmIncubatorSeries: URIRef
    FilmProgrammeProject: URIRef
    FilmWeekSeries: URIRef
    ForumEvent: URIRef
    ForumKind: URIRef
    ForumSeries: URIRef
    ForumSeriesKind: URIRef
    Foundation: URIRef
    Fund: URIRef
    Funder: URIRef
    GeneralAgreement: URIRef
    Guest: URIRef
    HeadOfDelegation: URIRef
    HeritageRestoration: URIRef
    HeritageSite: URIRef
    High: URIRef
    Host: URIRef
    Implementer: URIRef
    IntergovernmentalBody: URIRef
    JointPressStatement: URIRef
    JointStatement: URIRef
    Keynote: URIRef
    KeynoteSpeaker: URIRef
    LabelCount: URIRef
    Low: URIRef
    MC: URIRef
    MOU: URIRef
    MediaOrganisation: URIRef
    Medium: URIRef
    Meeting: URIRef
    Member: URIRef
    Mentor: URIRef
    MinisterialMeetingSeries: URIRef
    Ministry: URIRef
    Moderator: URIRef
    MuseumOrGallery: URIRef
    NamedOfficial: URIRef
    NationalityCount: URIRef
    OfficialRemarks: URIRef
    Opening: URIRef
    OpeningRemarks: URIRef
    Organisation: URIRef
    OrganisationKind: URIRef
    OrganisationKindScheme: URIRef
    Organiser: URIRef
    OtherEvent: URIRef
    OtherOrganisation: URIRef
    OtherProject: URIRef
    OtherSeries: URIRef
    Panel: URIRef
    Panellist: URIRef
    Participation: URIRef
    Partner: URIRef
    Performance: URIRef
    PerformanceSession: URIRef
    Performer: URIRef
    PerformingGroup: URIRef
    Person: URIRef
    PlanOfAction: URIRef
    PlenarySession: URIRef
    PrecursorEvent: URIRef
    Presenter: URIRef
    Programme: URIRef
    Project: URIRef
    ProjectBody: URIRef
    ProjectKind: URIRef
    ProjectKindScheme: URIRef
    PublisherCount: URIRef
    Reading: URIRef
    RecordOfDiscussion: URIRef
    RelatedEvent: URIRef
    Remarks: URIRef
    Representative: URIRef
    ResearchProject: URIRef
    Residency: URIRef
    Role: URIRef
    RoleScheme: URIRef
    Screening: URIRef
    Series: URIRef
    SeriesEdition: URIRef
    SeriesKind: URIRef
    SeriesKindScheme: URIRef
    Session: URIRef
    SessionKind: URIRef
    SessionKindScheme: URIRef
    Signatory: URIRef
    Source: URIRef
    Speaker: URIRef
    SpeakingRoles: URIRef
    Sponsor: URIRef
    Summit: URIRef
    SummitSeries: URIRef
    Supporter: URIRef
    Tenure: URIRef
    Theme: URIRef
    ThemeYearCount: URIRef
    Training: URIRef
    TrainingCourseSeries: URIRef
    University: URIRef
    Venue: URIRef
    WorkPlan: URIRef
    Workshop: URIRef
    WorkshopEvent: URIRef
    about: URIRef
    aboutKeys: URIRef
    adoptedAt: URIRef
    affiliationAtTime: URIRef
    agreementKind: URIRef
    aseanMember: URIRef
    aseanMemberSince: URIRef
    asserted: URIRef
    basedIn: URIRef
    citingCount: URIRef
    claimLanguage: URIRef
    classTotal: URIRef
    coParticipant: URIRef
    confidence: URIRef
    contributor: URIRef
    count: URIRef
    countedClass: URIRef
    countedCountry: URIRef
    countedLanguage: URIRef
    countedPublisher: URIRef
    countedTheme: URIRef
    country: URIRef
    dateNote: URIRef
    designatedAt: URIRef
    designatedBy: URIRef
    displayLabel: URIRef
    displayLanguage: URIRef
    displayPosition: URIRef
    displayTalkTitle: URIRef
    displayedProperty: URIRef
    editionCount: URIRef
    eventFirstYear: URIRef
    eventKind: URIRef
    eventLastYear: URIRef
    firstYear: URIRef
    forumYear: URIRef
    fundedBy: URIRef
    geonamesId: URIRef
    gloss: URIRef
    hasParticipation: URIRef
    hasTenure: URIRef
    hostCity: URIRef
    hostCountry: URIRef
    implementedBy: URIRef
    inEdition: URIRef
    inEvent: URIRef
    isoAlpha2: URIRef
    isoAlpha3: URIRef
    labelLanguage: URIRef
    lastYear: URIRef
    managedBy: URIRef
    occasion: URIRef
    onEdition: URIRef
    order: URIRef
    ordinal: URIRef
    organisationKind: URIRef
    partCount: URIRef
    partOfEdition: URIRef
    partOfProgramme: URIRef
    partOfSeries: URIRef
    participant: URIRef
    participatingCountry: URIRef
    participatingCountryCount: URIRef
    participationAgent: URIRef
    participationCount: URIRef
    participationEdition: URIRef
    participationRole: URIRef
    party: URIRef
    phaseOf: URIRef
    positionAtTime: URIRef
    projectKind: URIRef
    publisherName: URIRef
    reading: URIRef
    recurrenceRank: URIRef
    relatedEdition: URIRef
    role: URIRef
    roleKeys: URIRef
    rolledUpCount: URIRef
    runBy: URIRef
    searchKey: URIRef
    seriesKind: URIRef
    sessionKind: URIRef
    sharedEdition: URIRef
    sharedEventCount: URIRef
    signedAt: URIRef
    site: URIRef
    sourceCount: URIRef
    sourceKeys: URIRef
    speakerCount: URIRef
    startYear: URIRef
    talkCount: URIRef
    talkTitle: URIRef
    theme: URIRef
    themeTitle: URIRef
    tookPartIn: URIRef
    topic: URIRef
    venue: URIRef
    weight: URIRef
    weightAtLeast: URIRef
    year: URIRef


PREFIXES: dict[str, str] = {
    "cg": ONTOLOGY_IRI + "#",
    "dcterms": str(DCTERMS),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "wd": str(WD),
    "xsd": str(XSD),
}


# One prefix per record kind, so Turtle and SPARQL read `edition:forum-2025`, `person:lee-kyogu`.
DATA_PREFIXES = ("edition", "session", "event", "series", "programme", "agreement", "person", "organisation",
                 "country", "city", "venue", "theme", "source", "scheme", "fund", "project", "site",
                 "designated-year", "tenure")


def all_prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """Vocabulary prefixes plus one per record kind (``edition:`` …), ``cgr:`` for ``{base}id/`` and
    ``display:`` for the display graphs ``{base}graph/display/{language}``."""
    out = dict(PREFIXES)
    for kind in DATA_PREFIXES:
        out[kind] = f"{base_iri}id/{kind}/"
    out["cgr"] = base_iri + "id/"
    out["display"] = base_iri + "graph/display/"
    return out


def bind_prefixes(graph, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """Bind every project prefix on an rdflib graph or dataset."""
    for prefix, ns in all_prefixes(base_iri).items():
        graph.bind(prefix, ns, override=True, replace=True)


def sparql_prologue(base_iri: str = DEFAULT_BASE_IRI) -> str:
    """PREFIX lines for every project prefix, to put in front of a query sent to another endpoint."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in all_prefixes(base_iri).items())


__all__ = ["CG", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "WD", "XSD", "URIRef"]
