"""The YAML data model as tables: record kinds, their fields, and the RDF each field becomes.

``docs/data-model.md`` describes the same model for people; ``load.py`` walks these tables. Keeping the
model as data (not as code per kind) means one generic, well-tested mapping and one place to add a field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from .namespaces import CG, DCTERMS, ORG, RDFS, SCHEMA, SKOS
from .yamlio import LineDict

# Value types a field can have.
TEXT = "text"  # {lang: str | [str] | annotated}
STRING = "string"  # plain string
DATE = "date"  # xsd:date / gYearMonth / gYear
POSINT = "posint"
NONNEG = "nonneg"
BOOL = "bool"
URL = "url"
REF = "ref"  # id of another record
VOCAB = "vocab"  # key of a controlled vocabulary in the ontology (skos:notation)
MODE = "mode"  # online / offline / hybrid
LANGCODE = "langcode"
PARTICIPANTS = "participants"
LEADERS = "leaders"  # [{who, position, ordinal, start, end, …}] → cg:Tenure nodes
LATITUDE = "latitude"  # decimal degrees, -90 … 90 (xsd:decimal)
LONGITUDE = "longitude"  # decimal degrees, -180 … 180 (xsd:decimal)
READINGS = "readings"


@dataclass(frozen=True)
class Field:
    """One key of a record: its type, predicate and constraints."""

    key: str
    type: str
    pred: URIRef | None = None
    many: bool = False
    required: bool = False
    targets: tuple[str, ...] = ()  # REF: kinds allowed
    vocab: str = ""  # VOCAB: concept scheme local name in the ontology
    extra_preds: tuple[URIRef, ...] = ()  # further predicates that get the same value


@dataclass(frozen=True)
class Kind:
    """A record kind: its top-level key, IRI path, class(es) and fields."""

    name: str
    top: str  # top-level YAML key (list of records), or "" for kinds that only nest
    path: str  # IRI path segment: {base}id/{path}/{id}
    classes: tuple[URIRef, ...]
    fields: tuple[Field, ...]
    single: bool = False  # top-level value is one mapping, not a list
    list_top: str = ""  # a second top-level key holding a list of the same kind (``editions:``)
    label_required: bool = True
    cites: bool = True  # needs `sources`

    @property
    def by_key(self) -> dict[str, Field]:
        return {f.key: f for f in self.fields}


NAME = Field("name", TEXT, RDFS.label, required=True)
ALT = Field("alt_names", TEXT, SKOS.altLabel)
DESCRIPTION = Field("description", TEXT, SCHEMA.description)
PARTS = Field("participants", PARTICIPANTS)
THEMES = Field("themes", REF, CG.theme, many=True, targets=("theme",))
TOPICS = Field("topics", TEXT, CG.topic)
PROGRAMME = Field("programme", REF, CG.partOfProgramme, many=True, targets=("programme", "series", "project"))
START = Field("start", DATE, SCHEMA.startDate)
END = Field("end", DATE, SCHEMA.endDate)
FUNDED_BY = Field("funded_by", REF, CG.fundedBy, many=True, targets=("fund", "organisation"))
OCCASION = Field("occasion", REF, CG.occasion, targets=("designated-year", "edition", "event"))
WEBSITE = Field("website", URL, SCHEMA.url, many=True)

# Keys every cited record may have, besides its own fields.
COMMON_KEYS = ("id", "sources", "confidence", "note", "same_as")

AGENTS = ("person", "organisation", "country", "fund")
EVENTS = ("edition", "session", "event", "agreement", "series")
# Kinds that carry a plain year (cg:startYear) taken from their start or date.
YEARED = ("edition", "session", "event", "agreement", "project", "designated-year", "programme", "series")

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "source", "sources", "source", (CG.Source,), cites=False, label_required=False,
            fields=(
                Field("url", URL, SCHEMA.url, required=True),
                Field("title", STRING, DCTERMS.title),  # absent when the headline was not recorded
                Field("publisher", STRING, CG.publisherName, required=True),
                Field("language", LANGCODE, DCTERMS.language, many=True, required=True),
                Field("date", DATE, DCTERMS.date),
                Field("date_note", STRING, CG.dateNote),
                Field("reliability_note", STRING, SKOS.note),
            ),
        ),
        Kind(
            "organisation", "organisations", "organisation", (CG.Organisation,),
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("kind", VOCAB, CG.organisationKind, vocab="OrganisationKindScheme"),
                Field("country", REF, CG.country, targets=("country",)),
                Field("city", REF, CG.basedIn, targets=("city",)),
                Field("parent", REF, ORG.subOrganizationOf, targets=("organisation",)),
                Field("founded", DATE, SCHEMA.foundingDate),
                Field("premises", REF, ORG.hasSite, many=True, targets=("venue",)),
                Field("leaders", LEADERS),
                WEBSITE,
            ),
        ),
        Kind(
            "fund", "funds", "fund", (CG.Fund,),
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("founded", DATE, SCHEMA.foundingDate),
                Field("managed_by", REF, CG.managedBy, many=True, targets=("organisation",)),
                Field("contributors", REF, CG.contributor, many=True, targets=("country", "organisation")),
                WEBSITE,
            ),
        ),
        Kind(
            "person", "people", "person", (CG.Person,),
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("nationality", REF, SCHEMA.nationality, many=True, targets=("country",)),
            ),
        ),
        Kind(
            "country", "countries", "country", (CG.Country,),
            fields=(
                NAME, ALT,
                Field("iso_alpha2", STRING, CG.isoAlpha2, required=True),
                Field("iso_alpha3", STRING, CG.isoAlpha3, required=True),
                Field("asean_member", BOOL, CG.aseanMember),
                Field("asean_member_since", DATE, CG.aseanMemberSince),
            ),
        ),
        Kind(
            "city", "cities", "city", (CG.City,),
            fields=(NAME, ALT,
                    Field("country", REF, SCHEMA.containedInPlace, required=True, targets=("country",)),
                    Field("latitude", LATITUDE, SCHEMA.latitude),
                    Field("longitude", LONGITUDE, SCHEMA.longitude),
                    Field("geonames", STRING, CG.geonamesId)),
        ),
        Kind(
            "venue", "venues", "venue", (CG.Venue,),
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("city", REF, SCHEMA.containedInPlace, required=True, targets=("city",)),
                Field("part_of", REF, SCHEMA.containedInPlace, targets=("venue",)),
                Field("address", STRING, SCHEMA.address),
                Field("organisation", REF, ORG.siteOf, targets=("organisation",)),
            ),
        ),
        Kind(
            "site", "sites", "site", (CG.HeritageSite,),
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("country", REF, SCHEMA.containedInPlace, required=True, targets=("country",)),
                Field("city", REF, SCHEMA.containedInPlace, targets=("city",)),
                Field("part_of", REF, SCHEMA.containedInPlace, targets=("site",)),
                WEBSITE,
            ),
        ),
        Kind(
            "scheme", "scheme", "scheme", (SKOS.ConceptScheme,), single=True,
            fields=(NAME, DESCRIPTION),
        ),
        Kind(
            "theme", "themes", "theme", (CG.Theme,),
            fields=(
                Field("name", TEXT, SKOS.prefLabel, required=True, extra_preds=(RDFS.label,)),
                ALT,
                Field("broader", REF, SKOS.broader, many=True, targets=("theme",)),
                Field("definition", TEXT, SKOS.definition),
            ),
        ),
        Kind(
            "series", "series", "series", (CG.Series,),
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("kind", VOCAB, CG.seriesKind, required=True, vocab="SeriesKindScheme"),
                Field("started", DATE, SCHEMA.startDate),
                Field("ended", DATE, SCHEMA.endDate),
                Field("run_by", REF, CG.runBy, many=True, targets=("organisation",)),
                Field("part_of", REF, CG.partOfProgramme, many=True, targets=("programme",)),
                FUNDED_BY, WEBSITE, PARTS,
            ),
        ),
        Kind(
            "programme", "programmes", "programme", (CG.Programme,),
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("run_by", REF, CG.runBy, many=True, targets=("organisation",)),
                Field("part_of", REF, CG.partOfProgramme, many=True, targets=("programme",)),
                START, END, FUNDED_BY, WEBSITE, PARTS,
            ),
        ),
        Kind(
            "project", "projects", "project", (CG.Project,),
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("kind", VOCAB, CG.projectKind, vocab="ProjectKindScheme"),
                START, END,
                Field("countries", REF, CG.country, many=True, targets=("country",)),
                Field("sites", REF, CG.site, many=True, targets=("site", "venue", "city")),
                FUNDED_BY,
                Field("implemented_by", REF, CG.implementedBy, many=True, targets=("organisation",)),
                Field("phase_of", REF, CG.phaseOf, targets=("project",)),
                Field("ordinal", POSINT, CG.ordinal),
                PROGRAMME, OCCASION, THEMES, WEBSITE, PARTS,
            ),
        ),
        Kind(
            "designated-year", "designated_years", "designated-year", (CG.DesignatedYear,),
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("start", DATE, SCHEMA.startDate, required=True),
                END,
                Field("countries", REF, CG.participatingCountry, many=True, targets=("country",)),
                Field("designated_at", REF, CG.designatedAt, targets=("edition", "event")),
                Field("designated_by", REF, CG.designatedBy, many=True, targets=("organisation", "country")),
                WEBSITE, PARTS,
            ),
        ),
        Kind(
            "edition", "edition", "edition", (CG.SeriesEdition,), single=True, list_top="editions",
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("series", REF, CG.partOfSeries, required=True, targets=("series",)),
                Field("precursor", BOOL),
                Field("ordinal", POSINT, CG.ordinal),
                Field("start", DATE, SCHEMA.startDate, required=True),
                Field("end", DATE, SCHEMA.endDate),
                Field("mode", MODE, SCHEMA.eventAttendanceMode),
                Field("theme_title", TEXT, CG.themeTitle),
                THEMES,
                Field("host_city", REF, CG.hostCity, targets=("city",)),
                Field("host_country", REF, CG.hostCountry, targets=("country",)),
                Field("venue", REF, CG.venue, many=True, targets=("venue",)),
                Field("country_count", NONNEG, CG.participatingCountryCount),
                Field("participating_countries", REF, CG.participatingCountry, many=True,
                      targets=("country",)),
                OCCASION, WEBSITE, PROGRAMME, PARTS,
            ),
        ),
        Kind(
            "session", "sessions", "session", (CG.Session,),
            fields=(
                Field("title", TEXT, RDFS.label),
                Field("gloss", TEXT, CG.gloss),
                Field("order", POSINT, CG.order),
                Field("kind", VOCAB, CG.sessionKind, vocab="SessionKindScheme"),
                Field("date", DATE, SCHEMA.startDate),
                THEMES, TOPICS, DESCRIPTION, PARTS,
            ),
        ),
        Kind(
            "event", "events", "event", (CG.RelatedEvent,),
            fields=(
                Field("name", TEXT, RDFS.label),
                Field("gloss", TEXT, CG.gloss),
                ALT, DESCRIPTION,
                Field("kind", VOCAB, CG.eventKind, vocab="EventKindScheme"),
                Field("start", DATE, SCHEMA.startDate),
                Field("end", DATE, SCHEMA.endDate),
                Field("city", REF, SCHEMA.location, targets=("city",)),
                Field("country", REF, CG.hostCountry, targets=("country",)),
                Field("venue", REF, CG.venue, many=True, targets=("venue",)),
                Field("site", REF, CG.site, many=True, targets=("site",)),
                Field("edition", REF, CG.relatedEdition, targets=("edition",)),
                Field("part_of", REF, SCHEMA.superEvent, targets=("event",)),
                OCCASION, PROGRAMME, THEMES, TOPICS, PARTS,
            ),
        ),
        Kind(
            "agreement", "agreements", "agreement", (CG.Agreement,),
            fields=(
                NAME, ALT, DESCRIPTION,
                Field("kind", VOCAB, CG.agreementKind, vocab="AgreementKindScheme"),
                Field("date", DATE, DCTERMS.date),
                Field("place", REF, CG.signedAt, targets=("venue", "city")),
                Field("parties", REF, CG.party, many=True, required=True,
                      targets=("organisation", "country", "fund")),
                Field("edition", REF, CG.relatedEdition, targets=("edition",)),
                Field("adopted_at", REF, CG.adoptedAt, targets=("edition", "event")),
                START, END, PROGRAMME,
                TOPICS, PARTS,
            ),
        ),
        Kind(
            "conflict", "conflicts", "conflict", (CG.Conflict,),
            fields=(
                Field("topic", TEXT, RDFS.label, required=True),
                Field("about", REF, CG.about, many=True, targets=()),
                Field("readings", READINGS, required=True),
            ),
        ),
    )
}

PARTICIPATION_FIELDS: tuple[Field, ...] = (
    Field("who", REF, CG.participant, required=True, targets=AGENTS),
    Field("role", VOCAB, CG.role, required=True, vocab="RoleScheme"),
    Field("affiliation", REF, CG.affiliationAtTime, targets=("organisation",)),
    Field("position", TEXT, CG.positionAtTime),
    Field("title", TEXT, CG.talkTitle),
    Field("order", POSINT, CG.order),
)
PARTICIPATION_KEYS = {f.key for f in PARTICIPATION_FIELDS} | {"sources", "confidence", "note"}

LEADER_FIELDS: tuple[Field, ...] = (
    Field("who", REF, ORG.member, required=True, targets=("person",)),
    Field("position", TEXT, CG.positionAtTime),
    Field("ordinal", POSINT, CG.ordinal),
    START, END,
)
LEADER_KEYS = {f.key for f in LEADER_FIELDS} | {"sources", "confidence", "note"}

READING_KEYS = {"text", "sources", "confidence", "asserted", "note"}
ANNOTATION_KEYS = {"value", "sources", "confidence", "note", "alternatives"}
CONFIDENCE = {"high": CG.High, "medium": CG.Medium, "low": CG.Low}
MODES = {
    "online": SCHEMA.OnlineEventAttendanceMode,
    "offline": SCHEMA.OfflineEventAttendanceMode,
    "hybrid": SCHEMA.MixedEventAttendanceMode,
}

# Which top-level keys exist, and the kind of record under each.
TOP_KEYS: dict[str, Kind] = {k.top: k for k in KINDS.values() if k.top}
TOP_KEYS.update({k.list_top: k for k in KINDS.values() if k.list_top})


@dataclass
class Record:
    """One record read from YAML, before it becomes RDF."""

    kind: Kind
    id: str
    data: LineDict
    file: str
    line: int
    edition: str | None = None  # the edition of the file it came from
    extra: dict = field(default_factory=dict)
