"""Search-result snippets: the stretch of an article where the query words are densest, marked."""

from __future__ import annotations

from collections.abc import Sequence


def _hits(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of the query words in the text, longest word first at a position."""
    spans: list[tuple[int, int]] = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
            start = text.find(word, start + 1)
    return sorted(spans)


def snippet(text: str, words: Sequence[str], width: int = 80, mark: tuple[str, str] = ("[", "]")) -> str:
    """About `width` characters of `text` around the densest run of query words, each word marked.

    Line breaks become spaces; an ellipsis shows where the text was cut.
    """
    flat = " ".join(text.split())
    spans = _hits(flat, words)
    if not spans:
        return flat[:width] + ("…" if len(flat) > width else "")
    # Prefer the window with the most distinct query words, then the most hits.
    best, best_score = 0, (0, 0)
    for i, (s, _) in enumerate(spans):
        inside = [flat[s2:e2] for s2, e2 in spans[i:] if e2 <= s + width]
        score = (len(set(inside)), len(inside))
        if score > best_score:
            best, best_score = i, score
    start = max(0, spans[best][0] - width // 4)
    end = min(len(flat), start + width)
    start = max(0, min(start, end - width))
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(flat[pos:s])
        out.append(f"{mark[0]}{flat[s:e]}{mark[1]}")
        pos = e
    out.append(flat[pos:end])
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(flat) else "")
