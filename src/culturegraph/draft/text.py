"""An article file → its text, title, stated date and language.

Libraries do the work: trafilatura takes the article out of an HTML page (boilerplate, navigation and
footers dropped) and reads its metadata (title, publication date); charset-normalizer (a trafilatura
dependency) decodes bytes that are not UTF-8; py3langid identifies the language; ``unicodedata`` (NFKC)
folds full-width forms and compatibility characters. Nothing here touches the network.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import CultureGraphError

#: the languages the drafter reads: its date, ordinal and role tables cover exactly these
LANGUAGES = ("id", "ko", "en", "ja")
# what the identifier may answer besides them, so that "not one of ours" is said instead of a wrong guess
_OTHERS = ("vi", "th", "ms", "zh", "fr", "de", "es", "pt", "nl", "it", "tl", "km", "lo", "my", "ru", "ar")
_HTML = re.compile(rb"<\s*(html|body|article|p|div|head)\b", re.I)


class DraftError(CultureGraphError):
    """An article that cannot be drafted from, or a draft that cannot be checked or merged."""

    http_status = 422


@dataclass
class Article:
    """What the drafter reads: the text (NFKC), and what the page says of itself."""

    path: Path
    text: str
    language: str
    title: str | None = None
    date: str | None = None  # from the HTML page's metadata, YYYY-MM-DD


def read_article(path: Path, lang: str = "auto") -> Article:
    """Read ``path`` (plain text or HTML). :raises DraftError: empty, binary, no text, or a language the
    drafter does not handle (the message names the ones it does)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DraftError(f"{path}: cannot read the article: {exc.strerror or exc}") from None
    return read_bytes(raw, path, lang)


def read_bytes(raw: bytes, path: Path, lang: str = "auto") -> Article:
    """:func:`read_article` of content already read (a pasted article); ``path`` names it in messages."""
    if not raw.strip():
        raise DraftError(f"{path}: the file is empty")
    if b"\0" in raw[:4096]:
        raise DraftError(f"{path}: a binary file, not an article (save it as plain text or HTML)")
    text = _decode(raw, path)
    title = date = None
    if _HTML.search(raw[:4096]):
        import trafilatura

        meta = trafilatura.extract_metadata(text)
        title = meta.title if meta and meta.title else None
        date = meta.date if meta and meta.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.date) else None
        body = trafilatura.extract(text, include_comments=False, include_tables=True, favor_recall=True,
                                   with_metadata=False)
        text = body or ""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").strip()
    if len(re.sub(r"\W", "", text)) < 20:
        raise DraftError(f"{path}: no article text found")
    return Article(path, text, _language(text, lang, path), title, date)


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is None:
            raise DraftError(f"{path}: cannot tell the text encoding (save the article as UTF-8)") from None
        return str(best)


def _language(text: str, lang: str, path: Path) -> str:
    if lang != "auto":
        if lang not in LANGUAGES:
            raise DraftError(f"--lang {lang}: culturegraph draft reads {', '.join(LANGUAGES)} (or auto)")
        return lang
    import py3langid

    identifier = py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE)
    identifier.set_languages(list(LANGUAGES + _OTHERS))
    found, _score = identifier.classify(text[:5000])
    if found not in LANGUAGES:
        raise DraftError(f"{path}: the article reads as language {found!r}; culturegraph draft reads "
                         f"{', '.join(LANGUAGES)} (give --lang if this is wrong)")
    return str(found)
