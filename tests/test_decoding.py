"""Decoding real Chinese byte strings made from the seed texts, in the charsets sites use."""

from __future__ import annotations

import re

import pytest

from parsers.decoding import canonical, declared_charsets, decode
from parsers.records import DecodeError
from tests.fixture_cases import SEEDS

SIMPLIFIED = (SEEDS / "000_330a0451ee465110.txt").read_text("utf-8")
# 003 is simplified with characters outside GB2312 but inside GBK, e.g. 瓤 in 黄瓤西瓜.
XINJIANG = (SEEDS / "003_ee5dde9c5cec188f.txt").read_text("utf-8")
# Seed 004 is traditional (a mirror's rendering); its pinyin annotations are not Big5 text.
TRADITIONAL = re.sub(
    r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", (SEEDS / "004_580f4ec03fe9c1e7.txt").read_text("utf-8")
)


def page(text: str, meta: str | None) -> str:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    return f"<html><head>{head}<title>天水</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    ("text", "encoding", "declared"),
    [
        (SIMPLIFIED, "gb2312", "gb2312"),
        (XINJIANG, "gbk", "gb2312"),  # GBK bytes behind a gb2312 label: read as GB18030
        (XINJIANG, "gbk", "gbk"),
        (SIMPLIFIED, "utf-8", "utf-8"),
        (TRADITIONAL, "big5", "big5"),
        (XINJIANG, "gb18030", None),  # no declaration at all
        (TRADITIONAL, "big5", None),
        (XINJIANG, "utf-8", "gb2312"),  # declares GB2312, serves UTF-8
        (XINJIANG, "gbk", "utf-8"),  # declares UTF-8, serves GBK
    ],
)
def test_page_decodes_to_its_text(text: str, encoding: str, declared: str | None) -> None:
    html = page(text, declared)
    decoded = decode(html.encode(encoding))
    assert decoded.text == html
    assert decoded.replaced == 0


def test_http_charset_beats_nothing_and_meta_is_read() -> None:
    body = page(XINJIANG, None).encode("gbk")
    assert decode(body, "text/html; charset=GBK").text == page(XINJIANG, None)
    assert declared_charsets(page("x", "gb2312").encode(), "text/html; charset=utf-8") == ["utf-8", "gb18030"]


def test_labels_widen_to_supersets() -> None:
    assert canonical("GB2312") == "gb18030"
    assert canonical("gbk") == "gb18030"
    assert canonical("big5") == "big5hkscs"
    assert canonical("UTF8") == "utf-8"
    assert canonical("no-such-charset") is None


def test_bom_wins() -> None:
    body = "\ufeff".encode() + page(SIMPLIFIED, "gb2312").encode("utf-8")
    assert decode(body).text == page(SIMPLIFIED, "gb2312")


def test_truncated_mid_character_still_decodes() -> None:
    full = page(XINJIANG, "gbk").encode("gbk")
    cut = full[: len(full) // 2]
    if cut[-1] < 0x80:  # make sure the cut falls inside a two-byte character
        cut = cut[:-1] + "团".encode("gbk")[:1]
    decoded = decode(cut)
    assert decoded.encoding == "gb18030"
    assert decoded.text.startswith(page(XINJIANG, "gbk")[:200])


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
        (bytes(range(256)) * 64, "binary"),
    ],
)
def test_binary_and_empty_input_raise_decode_error(body: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode(body)
