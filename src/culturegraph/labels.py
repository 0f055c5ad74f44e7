"""Label choice with one fallback order used by every output: requested language → English → any.

>>> pick_label([("한국국제문화교류진흥원", "ko"), ("KOFICE", "en")], "id")
'KOFICE'
>>> pick_label([("이교구", "ko")], "en")
'이교구'
>>> pick_label([("ユン・ヤンス", "ja"), ("윤양수", "ko")], "id")
'윤양수'
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
    if untagged:
        return untagged[0]
    # "any": a fixed order over this domain's languages (Korean before Japanese for a Korean name whose
    # only forms are Hangul and katakana), then alphabetical, so the choice never depends on data order
    return min(cands, key=lambda c: (_ORDER.get((c[1] or "").split("-")[0].lower(), len(_ORDER)), c[1] or "", c[0]))[0]


_ORDER = {lang: i for i, lang in enumerate(("ko", "id", "ms", "vi", "th", "lo", "km", "my", "tl", "ja", "zh"))}
