"""A synthetic corpus of saved article pages (generic template) for kill tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

from tests.fixture_cases import SEEDS

_SEED = (SEEDS / "003_ee5dde9c5cec188f.txt").read_text("utf-8").splitlines()


def article_html(n: int) -> str:
    url = f"http://www.example-county.cn/news/2024/{n:06d}.html"
    title = f"{_SEED[0]}（第{n}期）"
    body = "".join(f"<p>　　{p}</p>" for p in _SEED[4:9]) + f"<p>　　本期编号{n}。</p>"
    return (
        f'<html><head><meta charset="utf-8"><link rel="canonical" href="{url}">'
        f"<title>{title}_阿瓦提县融媒</title></head><body>"
        '<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>'
        f'<div class="article"><h1>{title}</h1><div class="info">2024.11.17</div>{body}</div>'
        '<div class="footer">版权所有 新ICP备12345678号</div></body></html>'
    )


def write_corpus(root: Path, n: int) -> Path:
    """`n` distinct article pages under `root`, 100 to a folder."""
    for i in range(n):
        folder = root / f"{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:06d}.html").write_text(article_html(i), "utf-8")
    return root
