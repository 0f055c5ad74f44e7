"""What an announcement states, read from its text: the event's ordinal, its sessions, the role each named
organisation or person takes, and names the graph does not know yet.

Hand-written tables, per language, because no maintained library covers them for Indonesian, Korean,
English and Japanese: ordinal words (``keenam``, ``sixth``, ``여섯 번째``, ``第6回``), the words that
announce a role (``주최`` host, ``주관`` organiser, ``pidato utama`` keynote …) and the titles that come with a
person's name (``Menteri``, ``장관``, ``大臣``). Sentences are split on end punctuation and line breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORDS = {
    "id": ["pertama", "kedua", "ketiga", "keempat", "kelima", "keenam", "ketujuh", "kedelapan", "kesembilan",
           "kesepuluh", "kesebelas", "kedua belas"],
    "en": ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
           "eleventh", "twelfth"],
    "ko": ["첫", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열", "열한", "열두"],
}
_ORDINAL = {
    "id": [re.compile(r"\bke-?\s?(\d{1,2})\b", re.I), re.compile(r"\b(" + "|".join(_WORDS["id"]) + r")\b", re.I)],
    "en": [re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.I), re.compile(r"\b(" + "|".join(_WORDS["en"]) + r")\b",
                                                                    re.I)],
    "ko": [re.compile(r"제\s?(\d{1,2})\s?(?:회|차)"), re.compile(r"(?<![\d년월일])(\d{1,2})\s?회(?:째)?\s"),
           re.compile(r"(" + "|".join(_WORDS["ko"]) + r")\s?번째")],
    "ja": [re.compile(r"第\s?(\d{1,2})\s?回"), re.compile(r"(?<!\d)(\d{1,2})\s?回目")],
}

#: role key → the words that announce it, per language (the role keys are the ontology's role notations).
#: More specific words come first: "sambutan pembukaan" is an opening remark before "sambutan" is a remark.
ROLE_WORDS: dict[str, dict[str, list[str]]] = {
    "co-organiser": {"en": ["co-organised", "co-organized", "co-organiser"], "id": ["penyelenggara bersama"],
                     "ko": ["공동주관", "공동 주관"], "ja": ["共同主管", "共催"]},
    "host": {"en": ["hosted by", "host"], "id": ["tuan rumah"], "ko": ["주최"], "ja": ["主催"]},
    "organiser": {"en": ["organised by", "organized by", "organiser", "organizer"],
                  "id": ["diselenggarakan oleh", "penyelenggara", "dilaksanakan oleh", "dikelola oleh"],
                  "ko": ["주관"], "ja": ["主管", "運営"]},
    "sponsor": {"en": ["sponsored by", "sponsor"], "id": ["sponsor", "disponsori"], "ko": ["협찬"], "ja": ["協賛"]},
    "supporter": {"en": ["supported by", "with support from"], "id": ["didukung oleh", "dukungan"],
                  "ko": ["후원"], "ja": ["後援"]},
    "funder": {"en": ["funded by", "funding from"], "id": ["didanai", "pendanaan"], "ko": ["재원"], "ja": ["資金"]},
    "partner": {"en": ["in partnership with", "partner"], "id": ["bekerja sama dengan", "mitra"],
                "ko": ["협력"], "ja": ["協力"]},
    "keynote-speaker": {"en": ["keynote"], "id": ["pidato utama", "pembicara utama", "pidato kunci"],
                        "ko": ["기조연설", "기조 연설", "기조강연"], "ja": ["基調講演"]},
    "mentor": {"en": ["mentor"], "id": ["mentor"], "ko": ["멘토"], "ja": ["メンター"]},
    "mc": {"en": ["emcee", "master of ceremonies", "mc"], "id": ["pembawa acara"], "ko": ["사회자", "MC"],
           "ja": ["司会"]},
    "moderator": {"en": ["moderator", "moderated"], "id": ["moderator", "dipandu"], "ko": ["좌장"],
                  "ja": ["モデレーター", "座長"]},
    "discussant": {"en": ["discussant"], "id": ["penanggap"], "ko": ["토론자"], "ja": ["討論者"]},
    "panellist": {"en": ["panellist", "panelist"], "id": ["panelis"], "ko": ["패널"], "ja": ["パネリスト"]},
    "presenter": {"en": ["presenting", "presenter"], "id": ["presentasi"], "ko": ["발표자"], "ja": ["発表者"]},
    "speaker": {"en": ["speaker"], "id": ["pembicara", "narasumber"], "ko": ["연사"], "ja": ["登壇", "講演者"]},
    "opening-remarks": {"en": ["opening address", "opening remarks"], "id": ["sambutan pembukaan"],
                        "ko": ["개회사"], "ja": ["開会の挨拶", "開会挨拶"]},
    "congratulatory-remarks": {"en": ["congratulatory"], "id": ["ucapan selamat"], "ko": ["축사"], "ja": ["祝辞"]},
    "official-remarks": {"en": ["welcoming remarks", "welcome address", "remarks"], "id": ["kata sambutan", "sambutan"],
                         "ko": ["환영사", "인사말"], "ja": ["挨拶", "あいさつ"]},
    "attendee": {"en": ["attended"], "id": ["dihadiri"], "ko": ["참석"], "ja": ["出席"]},
}
#: roles only a person takes (a talk, a remark, a mentorship), and roles only a body takes (hosting, funding)
PERSON_ROLES = frozenset({"keynote-speaker", "mentor", "mc", "moderator", "discussant", "panellist", "presenter",
                          "speaker", "opening-remarks", "congratulatory-remarks", "official-remarks"})
BODY_ROLES = frozenset({"host", "organiser", "co-organiser", "sponsor", "supporter", "funder", "partner"})
#: how far (characters) a role word may stand from the name it belongs to
_REACH = {"id": 80, "en": 80, "ko": 30, "ja": 25}
_TITLES = {
    "en": r"(?:Minister|Vice Minister|Director(?:-General)?|President|Professor|Prof\.|Dr\.|Mr\.|Ms\.|Mrs\.|"
          r"Ambassador|Secretary-General|Chairman|Chairperson|CEO)",
    "id": r"(?:Menteri|Wakil Menteri|Direktur(?: Jenderal)?|Presiden|Profesor|Prof\.|Dr\.|Bapak|Ibu|Duta Besar|"
          r"Sekretaris Jenderal|Ketua|Kepala)",
}
_NEW_PERSON = {
    lang: re.compile(titles + r"\s+((?:[A-Z][\w'’-]+\s){0,2}[A-Z][\w'’-]+)") for lang, titles in _TITLES.items()
}
_NEW_PERSON["ko"] = re.compile(r"(?<![가-힣])([가-힣]{2,4})\s(?:장관|차관|원장|교수|대사|사무총장|대표|감독|"
                               r"이사장|관장|국장|위원장|총장|회장|작가|의원)")
_NEW_PERSON["ja"] = re.compile(r"([一-龥ァ-ヴー]{2,8})(?:・[ァ-ヴー]+)?\s?"
                               r"(?:大臣|長官|院長|教授|大使|事務総長|代表|氏)")
_SESSION = {
    "en": re.compile(r"^\s*(?:[-•*]\s*)?Session\s*(\d{1,2})\s*[:.–-]\s*(.+?)\s*$", re.I | re.M),
    "id": re.compile(r"^\s*(?:[-•*]\s*)?Sesi\s*(?:ke-?)?(\d{1,2})\s*[:.–-]\s*(.+?)\s*$", re.I | re.M),
    "ko": re.compile(r"^\s*(?:[-•*]\s*)?(?:(?:세션|섹션)\s*(\d{1,2})|제\s*(\d{1,2})\s*(?:부|분과|세션))"
                     r"\s*[:.–-]?\s*(.+?)\s*$", re.M),
    "ja": re.compile(r"^\s*(?:[-•*・]\s*)?(?:セッション\s*(\d{1,2})|第\s*(\d{1,2})\s*(?:部|分科会|セッション))"
                     r"\s*[:：.–-]?\s*(.+?)\s*$", re.M),
}
_SENTENCE = re.compile(r"[^.!?。！？\n]+(?:[.!?。！？]+|\n|$)")


@dataclass(frozen=True)
class Found:
    """A value the text states, with the words it came from and where."""

    value: object
    text: str
    start: int


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split on end punctuation and line breaks."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def ordinal(text: str, lang: str) -> Found | None:
    """The first ordinal the text states (digits or words)."""
    best: Found | None = None
    for pattern in _ORDINAL[lang]:
        m = pattern.search(text)
        if m is None:
            continue
        raw = m.group(1)
        if raw.isdigit():
            n = int(raw)
        else:
            words = _WORDS[lang]
            n = next(i + 1 for i, w in enumerate(words) if w == raw.lower())
        if 0 < n < 100 and (best is None or m.start() < best.start):
            best = Found(n, m.group(0).strip(), m.start())
    return best


def roles(text: str, lang: str, spans: list[tuple[int, int]], bounds: list[tuple[int, int]],
          people: set[int] = frozenset()) -> dict[int, Found]:  # type: ignore[assignment]
    """The role each name at ``spans`` takes: every role word goes to the one name nearest it that can take it
    (a talk to a person, hosting to a body; ``people`` are the indexes of the persons), in its sentence and
    within reach (``_REACH``), so one "주최" is not spread over every name around it. Keyed by span index."""
    lowered = text.lower()
    words: list[tuple[int, int, str]] = []  # (start, end, role): longest words first, no overlaps
    taken: list[tuple[int, int]] = []
    for role, by_lang in ROLE_WORDS.items():
        for word in by_lang.get(lang, []):
            w = word.lower()
            for m in re.finditer(re.escape(w), lowered):
                a, b = m.start(), m.end()
                if _latin(w) and ((a and lowered[a - 1].isalnum()) or (b < len(lowered) and lowered[b].isalnum())):
                    continue
                if any(a < y and x < b for x, y in taken) or any(x <= a < y for x, y in spans):
                    continue
                taken.append((a, b))
                words.append((a, b, role))
    out: dict[int, tuple[int, Found]] = {}
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    for a, b, role in sorted(words):
        sent = next(((x, y) for x, y in bounds if x <= a < y), (0, len(text)))

        def fits(i: int, role: str = role, sent: tuple[int, int] = sent) -> bool:
            return (sent[0] <= spans[i][0] < sent[1] and not (role in PERSON_ROLES and i not in people)
                    and not (role in BODY_ROLES and i in people))

        near = [(min(abs(a - spans[i][1]), abs(spans[i][0] - b)), i) for i in range(len(spans)) if fits(i)]
        near = [(dist, i) for dist, i in near if dist <= _REACH[lang]]
        if not near:
            continue
        dist, i = min(near)
        found = Found(role, text[a:b], a)
        # a list of names joined by commas and "and" shares the role ("oleh A, B, dan C", "A와 B가 공동 주관")
        group = [i]
        step = 1 if spans[i][0] >= b else -1
        k = order.index(i)
        while 0 <= k + step < len(order):
            j = order[k + step]
            x, y = (spans[order[k]][1], spans[j][0]) if step == 1 else (spans[j][1], spans[order[k]][0])
            if not fits(j) or not _JOIN.fullmatch(text[x:y]):
                break
            group.append(j)
            k += step
        for g in group:
            if g not in out or dist < out[g][0]:
                out[g] = (dist, found)
    return {i: f for i, (_, f) in out.items()}


# what may stand between two names of one list: commas, "and", a parenthesised acronym
_JOIN = re.compile(r"(?:\s*\([^()]{1,60}\))?\s*(?:,|、|，|·)?\s*(?:dan|and|serta|및|과|와|と|および)?\s*", re.I)


def _latin(s: str) -> bool:
    return all(ord(c) < 0x250 for c in s)


_APPOSITIVE = re.compile(r"^,\s+(?:(?:a|an|the|seorang)\s+)?([^,.;()\n]{3,90}?)"
                         r"(?=,|\.|;|\s(?:will|is|was|who|akan|yang)\b)")
_TITLE_AFTER = {
    "ko": re.compile(r"^\s?(장관|차관|원장|교수|대사|사무총장|대표|감독|이사장|관장|국장|위원장|총장|회장|"
                     r"실장|연구위원|학장|작가)"),
    "ja": re.compile(r"^\s?([一-龥ァ-ヴー]{0,12}(?:大臣|長官|院長|教授|大使|事務総長|代表|室長|学長|監督))"),
}


# an official's title right before (Minister X, 장관 X) or after (X 장관, X室長) a name with no other role:
# the data's "named-official", an official the source names for the organisation
_OFFICIAL_BEFORE = {
    "en": re.compile(r"(?:Minister|Vice Minister|Secretary-General|Ambassador|Mayor|Governor|President|Director"
                     r"(?:-General)?|Chairman|Chairperson)(?:\s+of\s+[^,.]{2,60})?\s+$"),
    "id": re.compile(r"(?:Menteri|Wakil Menteri|Sekretaris Jenderal|Duta Besar|Gubernur|Wali Kota|Presiden|Direktur"
                     r"(?: Jenderal)?|Ketua)(?:\s+[^,.]{2,60})?,?\s+(?:Bapak\s+|Ibu\s+)?$"),
    "ko": re.compile(r"(?:장관|차관|원장|전당장(?:\s?직무대리)?|사무총장|대사|시장|이사장|관장|실장)\s?$"),
    "ja": re.compile(r"(?:大臣|長官|院長|事務総長|大使|市長|理事長|館長|室長)\s?$"),
}
_OFFICIAL_AFTER = {
    "ko": re.compile(r"^\s?(?:장관|차관|원장|전당장|사무총장|대사|시장|이사장|관장|실장)(?![가-힣])"),
    "ja": re.compile(r"^\s?[一-龥ァ-ヴー]{0,12}(?:大臣|長官|院長|事務総長|大使|市長|理事長|館長|室長)"),
}


def official(text: str, lang: str, start: int, end: int) -> Found | None:
    """``named-official`` when an official's title stands right before or after the name."""
    before = _OFFICIAL_BEFORE[lang].search(text[max(0, start - 80):start])
    after = _OFFICIAL_AFTER.get(lang)
    hit = after.match(text[end:end + 20]) if after else None
    if before or hit:
        word = before.group(0) if before else hit.group(0)  # type: ignore[union-attr]
        return Found("named-official", word.strip(), start - len(word) if before else end)
    return None


def position(text: str, lang: str, start: int, end: int, names: list[tuple[int, int]]) -> Found | None:
    """The position a person's name carries as the article states it: an appositive after it (``Lee Yoong
    Yoong, head of external relations at the ASEAN Secretariat, will …``) or a title right after it (``이교구
    교수``, ``ユン・ヤンス国際文化広報政策室長``). Nothing when the words hold another name (a list of names)."""
    pattern = _TITLE_AFTER.get(lang, _APPOSITIVE)
    m = pattern.match(text[end:end + 120])
    if m is None:
        return None
    a, b = end + m.start(1), end + m.end(1)
    if any(a <= x < b for x, _ in names):
        return None
    return Found(m.group(1).strip(), m.group(1), a)


_CAP = r"[A-Z][\w'’&.-]*"
_NEW_BODY = {
    "en": re.compile(rf"\b((?:{_CAP}\s(?:of\s(?:the\s)?|for\s(?:the\s)?|and\s)?){{0,5}}"
                     r"(?:Foundation|Ministry|University|Centre|Center|Council|Agency|Commission|Institute|Museum|"
                     r"Gallery|Association|Network|School|Festival Committee)"
                     rf"(?:\s(?:of|for)\s(?:the\s)?{_CAP}(?:\s{_CAP}){{0,4}})?)"),
    "id": re.compile(rf"\b((?:Kementerian|Yayasan|Universitas|Badan|Asosiasi|Lembaga|Dewan|Komisi|Pusat|Institut|"
                     rf"Museum|Galeri)(?:\s(?:dan\s)?{_CAP}){{1,6}})"),
    "ko": re.compile(r"(?<![가-힣])([가-힣]{2,12}(?:재단|진흥원|위원회|협회|대학교|박물관|미술관|센터|연구원|공사))"),
    "ja": re.compile(r"([一-龥ァ-ヴー]{2,12}(?:財団|振興院|委員会|協会|大学|美術館|博物館|センター|研究院))"),
}


def new_bodies(text: str, lang: str, known: list[tuple[int, int]]) -> list[Found]:
    """Names of bodies (a ministry, a foundation, a university …) that no linked name covers."""
    out: list[Found] = []
    seen: set[str] = set()
    for m in _NEW_BODY[lang].finditer(text):
        lead = re.match(r"(?:The|A|An)\s+", m.group(1))
        name = m.group(1)[lead.end() if lead else 0:].strip()
        a = m.start(1) + (lead.end() if lead else 0)
        b = a + len(name)
        if name in seen or any(not (b <= x or a >= y) for x, y in known):
            continue
        seen.add(name)
        out.append(Found(name, name, a))
    return out


def new_people(text: str, lang: str, known: list[tuple[int, int]]) -> list[Found]:
    """Names with a title before (Latin script) or after (Hangul, CJK) them that no linked name covers."""
    out: list[Found] = []
    seen: set[str] = set()
    for m in _NEW_PERSON[lang].finditer(text):
        name = m.group(1).strip()
        a, b = m.start(1), m.start(1) + len(name)
        if name in seen or any(not (b <= x or a >= y) for x, y in known):
            continue
        seen.add(name)
        out.append(Found(name, name, a))
    return out


_SESSION_WORDS = {
    "id": ["sesi", "pidato utama", "pidato kunci", "diskusi panel"],
    "en": ["session", "keynote", "panel"],
    "ko": ["분과", "세션", "기조연설", "기조 연설", "기조강연"],
    "ja": ["セッション", "分科会", "部会", "基調講演"],
}
_THEME_WORDS = re.compile(r"(?:theme|tema|テーマ|슬로건|slogan)\W{0,12}$", re.I)
_QUOTED = re.compile(r"'([^'\n]{4,150})'|\"([^\"\n]{4,150})\"|“([^”\n]{4,150})”|「([^」\n]{2,150})」|‘([^’\n]{4,150})’")


def session_titles(text: str, lang: str, skip: list[tuple[int, int]] = ()) -> list[Found]:  # type: ignore[assignment]
    """Session titles in the article's order: numbered session lines (``Sesi 1: …``, ``Session 2 – …``), and
    quoted titles in a sentence that speaks of a session or keynote (``분과 '…'``, ``セッション「…」``), except a
    quoted theme or a quote that is a name in ``skip`` (the event's own name)."""
    found: dict[int, Found] = {}
    for m in _SESSION[lang].finditer(text):
        raw = m.group(m.lastindex or 2)
        if not _QUOTED.search(raw):
            found[m.start()] = Found(raw.strip(' "“”「」\''), m.group(0).strip(), m.start())
    words = _SESSION_WORDS[lang]
    for a, b in sentences(text):
        if not any(w in text[a:b].lower() for w in words):
            continue
        for q in _QUOTED.finditer(text, a, b):
            title = next(g for g in q.groups() if g).strip()
            at = q.start()
            if _THEME_WORDS.search(text[max(a, at - 30):at]) or any(x <= at < y or at <= x < q.end()
                                                                    for x, y in skip):
                continue
            found.setdefault(at, Found(title, q.group(0), at))
    return [found[k] for k in sorted(found)]
