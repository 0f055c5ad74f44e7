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

#: role key → the words that announce it, per language (the role keys are the ontology's role notations)
ROLE_WORDS: dict[str, dict[str, list[str]]] = {
    "host": {"en": ["hosted by", "host"], "id": ["tuan rumah", "diselenggarakan oleh", "digelar oleh"],
             "ko": ["주최"], "ja": ["主催"]},
    "organiser": {"en": ["organised by", "organized by", "organiser", "organizer"],
                  "id": ["penyelenggara", "dilaksanakan oleh", "dikelola oleh"], "ko": ["주관"],
                  "ja": ["主管", "運営"]},
    "co-organiser": {"en": ["co-organised", "co-organized", "co-organiser"], "id": ["penyelenggara bersama"],
                     "ko": ["공동주관", "공동 주관"], "ja": ["共催"]},
    "sponsor": {"en": ["sponsored by", "sponsor"], "id": ["sponsor", "disponsori"], "ko": ["협찬"], "ja": ["協賛"]},
    "supporter": {"en": ["supported by", "with support from"], "id": ["didukung oleh", "dukungan"],
                  "ko": ["후원"], "ja": ["後援"]},
    "partner": {"en": ["in partnership with", "partner"], "id": ["bekerja sama dengan", "mitra"],
                "ko": ["협력"], "ja": ["協力"]},
    "keynote-speaker": {"en": ["keynote"], "id": ["pidato utama", "pembicara utama", "pidato kunci"],
                        "ko": ["기조연설", "기조 연설", "기조강연"], "ja": ["基調講演"]},
    "moderator": {"en": ["moderator", "moderated", "chaired by"], "id": ["moderator", "dipandu"],
                  "ko": ["좌장", "사회"], "ja": ["司会", "モデレーター", "座長"]},
    "panellist": {"en": ["panellist", "panelist", "panel discussion"], "id": ["panelis", "diskusi panel"],
                  "ko": ["토론자", "토론"], "ja": ["パネリスト", "討論"]},
    "speaker": {"en": ["speaker", "presentation", "presented", "spoke"], "id": ["pembicara", "narasumber",
                                                                                 "presentasi"],
                "ko": ["발표", "연사", "강연"], "ja": ["登壇", "講演", "発表"]},
    "official-remarks": {"en": ["opening remarks", "welcoming remarks", "welcome address", "remarks"],
                         "id": ["sambutan", "kata sambutan"], "ko": ["개회사", "환영사", "인사말"],
                         "ja": ["開会の挨拶", "挨拶", "あいさつ"]},
    "congratulatory-remarks": {"en": ["congratulatory"], "id": ["ucapan selamat"], "ko": ["축사"], "ja": ["祝辞"]},
    "attendee": {"en": ["attended", "attendance"], "id": ["dihadiri", "hadir"], "ko": ["참석"], "ja": ["出席"]},
}
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


def role_near(text: str, lang: str, start: int, end: int, bounds: list[tuple[int, int]]) -> Found | None:
    """The role word nearest a mention at ``start:end`` in its own sentence, if any."""
    sent = next(((a, b) for a, b in bounds if a <= start < b), (max(0, start - 80), min(len(text), end + 80)))
    lowered = text[sent[0]:sent[1]].lower()
    best: tuple[int, Found] | None = None
    for role, words in ROLE_WORDS.items():
        for word in words.get(lang, []):
            for m in re.finditer(re.escape(word.lower()), lowered):
                at = sent[0] + m.start()
                if start <= at < end:
                    continue
                distance = min(abs(at - end), abs(at + len(word) - start))
                if best is None or distance < best[0]:
                    best = (distance, Found(role, text[at:at + len(word)], at))
    return best[1] if best else None


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
