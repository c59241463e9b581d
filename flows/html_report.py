# ruff: noqa: E501  (SVG and HTML markup reads better on one line per element)
"""`regionews report`: one self-contained HTML page with charts (inline SVG) and the numbers behind them.

No JavaScript library and no network: charts are SVG drawn here. A few lines of inline script only
record, after layout, how many chart marks the browser actually drew (used by the browser test).
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from warehouse.report_data import ReportData

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")  # fmt: skip
FONT = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif"
MAX_SERIES = 8


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _months(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    ly, lm = map(int, last.split("-"))
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _empty(chart_id: str, message: str) -> str:
    return f'<p class="empty" id="{chart_id}">{_e(message)}</p>'


def stacked_bars(chart_id: str, rows: list[tuple[str, str, int]], width: int = 880, height: int = 300) -> str:
    """Stories per month, stacked by county (the top counties; the rest as 其他)."""
    if not rows:
        return _empty(chart_id, "No dated stories with a county yet.")
    totals: dict[str, int] = defaultdict(int)
    for _, county, n in rows:
        totals[county] += n
    top = [c for c, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SERIES]]
    series = [*top, "其他"] if len(totals) > len(top) else top
    others = sum(n for c, n in totals.items() if c not in top)
    months = _months(min(r[0] for r in rows), max(r[0] for r in rows))
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for month, county, n in rows:
        cells[(month, county if county in top else "其他")] += n
    peak = max(sum(cells[(m, s)] for s in series) for m in months) or 1
    left, bottom, top_pad = 40, 40, 10
    plot_w, plot_h = width - left - 40, height - bottom - top_pad  # room for the last month label
    bar_w = plot_w / len(months)
    parts = [f'<svg id="{chart_id}" class="chart" viewBox="0 0 {width} {height + 20 * ((len(series) + 3) // 4)}" '
             f'role="img" aria-label="Stories per month by county">']  # fmt: skip
    step = max(1, -(-peak // 4))  # whole-number ticks: stories are counted, never fractional
    peak = step * 4 if peak > 4 else peak
    for i in range(0, peak + 1, step):
        value = i
        y = top_pad + plot_h - plot_h * i / peak
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">{value:.0f}</text>'
        )
    label_every = max(1, len(months) // 12)
    for i, month in enumerate(months):
        x = left + i * bar_w
        y = top_pad + plot_h
        for s_index, s in enumerate(series):
            n = cells.get((month, s), 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            color = PALETTE[s_index % len(PALETTE)]
            parts.append(
                f'<rect class="mark" x="{x + 1:.1f}" y="{y:.1f}" width="{max(bar_w - 2, 1):.1f}" '
                f'height="{h:.1f}" fill="{color}"><title>{_e(month)} {_e(s)}: {n}</title></rect>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" '
                f'class="tick">{_e(month)}</text>'
            )
    for s_index, s in enumerate(series):
        lx = left + (s_index % 4) * 210
        ly = height + 4 + 20 * (s_index // 4)
        parts.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{PALETTE[s_index % len(PALETTE)]}"/>'
        )
        parts.append(f'<text x="{lx + 16}" y="{ly}" class="legend">{_e(s)} ({totals.get(s, others)})</text>')
    parts.append("</svg>")
    return "".join(parts)


def heatmap(chart_id: str, rows: list[tuple[str, str, int]], cell: int = 28) -> str:
    """Slogans (rows) by period (columns): stories using the slogan; months, or years for long spans."""
    if not rows:
        return _empty(chart_id, "No numbered slogans found yet.")
    months = _months(min(r[0] for r in rows), max(r[0] for r in rows))
    by_year = len(months) > 24
    periods = sorted({m[:4] for m in months}) if by_year else months
    counts: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for month, term, n in rows:
        counts[(term, month[:4] if by_year else month)] += n
        totals[term] += n
    terms = sorted(totals, key=lambda t: (-totals[t], t))
    peak = max(counts.values())
    label_w, top = 150, 60
    width, height = label_w + cell * len(periods) + 10, top + cell * len(terms) + 10
    parts = [f'<svg id="{chart_id}" class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'style="max-width:{width}px" aria-label="Top slogans over time">']  # fmt: skip
    for j, period in enumerate(periods):
        x = label_w + j * cell + cell / 2
        parts.append(
            f'<text x="{x:.1f}" y="{top - 6}" transform="rotate(-60 {x:.1f} {top - 6})" class="tick">{_e(period)}</text>'
        )
    for i, term in enumerate(terms):
        y = top + i * cell
        parts.append(
            f'<text x="{label_w - 6}" y="{y + cell * 0.65:.1f}" text-anchor="end" class="label">{_e(term)}</text>'
        )
        for j, period in enumerate(periods):
            n = counts.get((term, period), 0)
            opacity = 0.08 if not n else 0.25 + 0.75 * n / peak
            parts.append(
                f'<rect class="{"mark" if n else "blank"}" x="{label_w + j * cell}" y="{y}" width="{cell - 2}" '
                f'height="{cell - 2}" fill="#e15759" fill-opacity="{opacity:.2f}">'
                f"<title>{_e(term)} {_e(period)}: {n}</title></rect>"
            )
            if n:
                parts.append(
                    f'<text x="{label_w + j * cell + (cell - 2) / 2}" y="{y + cell * 0.62:.1f}" '
                    f'text-anchor="middle" class="cell">{n}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def network(chart_id: str, rows: list[tuple], width: int = 880) -> str:
    """Original sites (left) to the sites that copied them (right); line width = articles copied."""
    if not rows:
        return _empty(chart_id, "No copies linked to originals yet.")
    edges: dict[tuple[str, str], int] = defaultdict(int)
    for original, copy, _role, n, _sim in rows:
        edges[(original, copy)] += n
    left_total: Counter[str] = Counter()  # articles per original site
    right_total: Counter[str] = Counter()  # articles per copying site
    for (o, c), n in edges.items():
        left_total[o] += n
        right_total[c] += n
    left_nodes = sorted({o for o, _ in edges}, key=lambda s: -left_total[s])
    right_nodes = sorted({c for _, c in edges}, key=lambda s: -right_total[s])
    row_h = 44
    height = 30 + row_h * max(len(left_nodes), len(right_nodes))
    peak = max(edges.values())
    lx, rx = 220, width - 220

    def y_of(nodes: list[str], node: str) -> float:
        return 30 + row_h * nodes.index(node) + row_h / 2

    parts = [f'<svg id="{chart_id}" class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Copy network">']  # fmt: skip
    for (o, c), n in sorted(edges.items()):
        y1, y2 = y_of(left_nodes, o), y_of(right_nodes, c)
        parts.append(
            f'<path class="mark" d="M{lx},{y1:.1f} C{(lx + rx) / 2},{y1:.1f} {(lx + rx) / 2},{y2:.1f} {rx},{y2:.1f}" '
            f'stroke="#4e79a7" stroke-opacity="0.6" fill="none" stroke-width="{2 + 14 * n / peak:.1f}">'
            f"<title>{_e(o)} → {_e(c)}: {n}</title></path>"
        )
        parts.append(
            f'<text x="{(lx + rx) / 2}" y="{(y1 + y2) / 2 - 6:.1f}" text-anchor="middle" class="cell">{n}</text>'
        )
    for nodes, totals, x, colour, label_x, anchor in (
        (left_nodes, left_total, lx, "#59a14f", lx - 12, ' text-anchor="end"'),
        (right_nodes, right_total, rx, "#e15759", rx + 12, ""),
    ):
        for node in nodes:
            y = y_of(nodes, node)
            parts.append(f'<circle cx="{x}" cy="{y:.1f}" r="7" fill="{colour}"/>')
            parts.append(
                f'<text x="{label_x}" y="{y + 5:.1f}"{anchor} class="label">{_e(node)} ({totals[node]})</text>'
            )
    parts.append(f'<text x="{lx}" y="18" text-anchor="middle" class="tick">original site</text>')
    parts.append(f'<text x="{rx}" y="18" text-anchor="middle" class="tick">copied by</text>')
    parts.append("</svg>")
    return "".join(parts)


def table(columns: list[str], rows: list[tuple], limit: int = 50) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e('' if v is None else ', '.join(map(str, v)) if isinstance(v, list) else v)}</td>"
                         for v in row) + "</tr>"
        for row in rows[:limit]
    )  # fmt: skip
    more = f"<p class='note'>{len(rows) - limit} more rows not shown.</p>" if len(rows) > limit else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


_CSS = f"""
body {{ font-family: {FONT}; margin: 2rem auto; max-width: 960px; color: #222; }}
h1 {{ font-size: 1.6rem; margin-bottom: .2rem; }} h2 {{ margin-top: 2.2rem; font-size: 1.2rem; }}
.numbers {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: .8rem; margin: 1.2rem 0; }}
.number {{ background: #f4f6f8; border-radius: 6px; padding: .6rem .8rem; }}
.number b {{ display: block; font-size: 1.5rem; }} .number span {{ color: #555; font-size: .85rem; }}
svg.chart {{ width: 100%; height: auto; font-family: {FONT}; }}
.grid {{ stroke: #ddd; }} .tick {{ font-size: 11px; fill: #555; }} .legend, .label {{ font-size: 13px; }}
.cell {{ font-size: 11px; fill: #222; }}
table {{ border-collapse: collapse; font-size: .85rem; margin-top: .6rem; width: 100%; }}
td, th {{ border-bottom: 1px solid #e3e3e3; padding: .25rem .4rem; text-align: left; vertical-align: top; }}
details summary {{ cursor: pointer; color: #345; margin-top: .6rem; }} .note, .empty {{ color: #666; }}
"""

# After layout, count the chart marks the browser drew with a real size (read by the browser test).
_SCRIPT = """
window.addEventListener('load', function () {
  var out = {};
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var drawn = 0;
    svg.querySelectorAll('.mark').forEach(function (m) {
      var b = m.getBBox(); if (b.width > 0 || b.height > 0) { drawn += 1; }  // a flat curve has no height
    });
    out[svg.id] = drawn;
  });
  document.body.setAttribute('data-rendered', JSON.stringify(out));
});
"""

LABELS = {
    "articles": "articles loaded",
    "stories": "stories (clusters)",
    "stories_with_copies": "stories with copies",
    "copies_linked": "copies linked to originals",
    "sites": "sites",
    "counties": "counties tagged",
    "slogans": "numbered slogans",
    "open_failures": "pages that failed",
}


def _changes(data: ReportData) -> str:
    """What revisits found: edits (version 2 and on), withdrawals, and withdrawn pages that came back."""
    if not data.changes:
        return (
            "<p class='empty'>No article has been edited or withdrawn since it was first stored "
            "(revisits find these: see <code>regionews crawl --revisit</code>).</p>"
        )
    kinds = Counter(row[0] for row in data.changes)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"<p class='note'>{_e(summary)}, newest first.</p>{table(data.changes_columns, data.changes)}"


def render(data: ReportData, title: str = "regionews report") -> str:
    numbers = "".join(
        f'<div class="number"><b>{data.headline.get(k, 0):,}</b><span>{_e(label)}</span></div>'
        for k, label in LABELS.items()
    )
    span = f"{data.first_date} to {data.last_date}" if data.first_date else "no dated stories"
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>
<body>
<h1>{_e(title)}</h1>
<p class="note">Stories published {_e(span)}; generated {generated}. One story = one duplicate cluster
(the original outlet's page stands for its mirrors and content-farm copies).</p>
<div class="numbers">{numbers}</div>

<h2>Stories per month, by county</h2>
{stacked_bars("chart-monthly", data.monthly)}
<details><summary>Numbers behind the chart</summary>{table(["month", "county", "stories"], data.monthly)}</details>

<h2>Top numbered slogans over time</h2>
{heatmap("chart-slogans", data.slogans)}
<details><summary>Numbers behind the chart</summary>{table(["month", "slogan", "stories"], data.slogans)}</details>

<h2>How stories travel: originals and their copies</h2>
{network("chart-network", data.network)}
<details open><summary>Copy network</summary>
{table(["original site", "copy site", "role", "articles", "avg similarity"], data.network)}</details>
<details><summary>Stories with copies</summary>{table(data.travel_columns, data.travel)}</details>

<h2>Changed and withdrawn articles</h2>
{_changes(data)}
<script>{_SCRIPT}</script>
</body></html>
"""


def write_report(data: ReportData, out: str | Path) -> Path:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data), "utf-8")
    return path
