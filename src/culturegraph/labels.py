"""Label choice with one fallback order used by every output: requested language → English → any.

>>> pick_label([("한국국제문화교류진흥원", "ko"), ("KOFICE", "en")], "id")
'KOFICE'
>>> pick_label([("이교구", "ko")], "en")
'이교구'
"""

from __future__ import annotations

from collections.abc import Iterable


def pick_label(candidates: Iterable[tuple[str, str | None]], lang: str = "en") -> str | None:
    """Choose among ``(text, language)`` pairs; ties are broken by sorting, so the choice is stable."""
    cands = sorted(set(candidates), key=lambda c: ((c[1] or ""), c[0]))
    if not cands:
        return None
    want = (lang or "en").lower()
    for target in (want, "en"):
        for text, tag in cands:
            if tag and tag.lower() == target:
                return text
        for text, tag in cands:
            if tag and tag.lower().split("-")[0] == target.split("-")[0]:
                return text
    untagged = [t for t, tag in cands if not tag]
    return untagged[0] if untagged else cands[0][0]
