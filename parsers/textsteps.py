"""Whitespace and width: the steps that touch layout characters, never words or punctuation.

Each step is `str -> str`, line-local (a step never moves text across a newline) and idempotent.
Chinese punctuation is kept as the page has it: only full-width digits and Latin letters fold to
ASCII, which is why this is not a blanket NFKC.
"""

from __future__ import annotations

import re

# NBSP and friends become a plain space; zero-width characters, soft hyphens and BOMs vanish.
_INVISIBLE = str.maketrans(
    {
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        **{chr(c): " " for c in range(0x2000, 0x200B)},
        "\u1680": " ",
        "\u2028": "\n",
        "\u2029": "\n",
        "\f": " ",
        "\v": " ",
        "\u202f": " ",
        "\u205f": " ",
        "\t": " ",
        "\r": "\n",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,
    }
)
_ANY_INVISIBLE = re.compile("[" + re.escape("".join(map(chr, _INVISIBLE))) + "]")
_NBSP_ENTITY = re.compile(r"&(?:nbsp|#160|#xa0|ensp|emsp);?", re.IGNORECASE)
_FULLWIDTH_ALNUM = str.maketrans(
    {
        **{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    }
)
_FULLWIDTH_ANY = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_H_SPACE = "[ \u3000]"  # the spaces left once fold_invisible has run
_SPACE_RUN = re.compile("  +")  # a literal first character lets `re` skip ahead fast
_CELL_REMNANT = re.compile(
    r"(?:" + _H_SPACE + r"*\|)+$", re.MULTILINE
)  # ' |' left by table cells (tianshui, mirrors)
_SENTENCE_END = frozenset("。！？!?；;：:…”」』）)】")


def fold_invisible(text: str) -> str:
    """NBSP (also a literal `&nbsp;`) to a space; zero-width characters, soft hyphens and BOMs removed."""
    if "&" in text:
        text = _NBSP_ENTITY.sub(" ", text)
    return _map_found(text, _ANY_INVISIBLE, _INVISIBLE)


def _map_found(text: str, pattern: re.Pattern[str], table: dict[int, str | None]) -> str:
    """`text.translate(table)`, as one scan for the table's characters and a C `replace` per
    character found (translate looks every character of the text up in the dict: ~10x slower).
    The table's values never hold its keys, so the order of the replacements does not matter."""
    for ch in set(pattern.findall(text)):
        text = text.replace(ch, table[ord(ch)] or "")
    return text


def collapse_spaces(text: str) -> str:
    """Indents (`　　`, runs of spaces) stripped at line ends, inner runs folded to one space.

    A single ASCII space between words is kept: `抓组织领导 促高位推进` is a real gap. Runs on
    text whose other spaces fold_invisible already turned into ASCII spaces.
    """
    if "\u3000" in text:
        text = text.replace("\u3000", " ")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if text[:1] == " " or text[-1:] == " " or " \n" in text or "\n " in text:
        return "\n".join(line.strip(" ") for line in text.split("\n"))
    return text


def strip_cell_remnant(text: str) -> str:
    """A trailing ` |` at a line end is a table-cell remnant on tianshui pages and their mirrors."""
    if "|" not in text or ("|\n" not in text and not text.rstrip(" ").endswith("|")):
        return text
    return collapse_spaces(_CELL_REMNANT.sub("", text))


def fold_width(text: str) -> str:
    """Full-width digits and Latin letters to ASCII; full-width punctuation stays."""
    return _map_found(text, _FULLWIDTH_ANY, _FULLWIDTH_ALNUM)


def _joiner(left: str, right: str) -> str:
    if left[-1:].isascii() and right[:1].isascii() and left[-1:].isalnum() and right[:1].isalnum():
        return " "
    return ""


def join_broken_lines(text: str) -> str:
    """Lines broken inside a sentence are joined; a blank line or a sentence end keeps the break.

    `张家川县召开民族团结进步创建活动\\n“六进”试点工作会` becomes one line; `…工作。\\n下一段` stays
    two lines, and a blank line (a paragraph break) stays one blank line.
    """
    if "\n" not in text:
        return text
    out: list[str] = []
    joinable = False
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            if out and out[-1]:
                out.append("")
            joinable = False
            continue
        if joinable:
            out[-1] = out[-1] + _joiner(out[-1], line) + line
        else:
            out.append(line)
        joinable = out[-1][-1] not in _SENTENCE_END
    if out and not out[-1]:
        out.pop()
    return "\n".join(out)


def join_title_lines(text: str) -> str:
    """A headline wrapped over lines becomes one line, joined with no space between hanzi."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if len(parts) <= 1:
        return parts[0] if parts else ""
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + _joiner(joined, part) + part
    return joined
