"""The publish time of a page: candidates from the header, the machine-stated dates and the
URL, ranked the same way for every parser.

Ranking, strongest first (each printed date keeps the precision it was printed with):
1. a date with a publish label (发布时间, 日期, 发表于…) in the header (under the headline first);
2. an unlabelled date printed beside the headline (after it, before the body: the meta line);
   when the headline is not located, the unlabelled date nearest the body (unless it is
   more than a day from the machine-stated or the URL's day);
3. the machine-stated date (meta tags, JSON-LD, WeChat's script), or a labelled date under
   the body / an unlabelled one above the headline printed on that day;
4. the URL's date (origin "url", day precision), or such a printed date on that day;
5. a labelled date under the body; else None (the caller flags `no_date`).
Within a rank, a date on the machine-stated day is preferred.
Never taken: update, banner, archive-link, comment, mirror and "other" dates (labels.py); a
date glued into a sentence. Update times go to `updated`. A printed date more than a week
after the URL's date is a re-publish stamp: the URL's day is the publish date and the
stamp is `updated` (tsrb reprints years-old stories with a new time).
A printed time whose minutes match a machine time stated in another zone (neither UTC, which
a CMS may write by mistake, nor +08:00) was printed in that zone: the instant is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from parsers.dates.lines import LabelledDate, labelled_dates
from parsers.dates.machine import MachineDates, Stated
from parsers.dates.model import SHANGHAI, ParsedDate
from parsers.dates.printed import join_split_date
from parsers.dates.urls import date_from_url, year_from_url
from parsers.records import Page

REPUBLISH_GAP = timedelta(days=7)
_PUBLISHABLE = frozenset({"published", "unlabelled"})
_SPACE = re.compile(r"\s+")
_HEADLINE_KEY = 12  # characters of the squeezed headline looked for in the header


@dataclass(frozen=True, slots=True)
class PageDates:
    """A page's publish and update times, and which rank chose the publish time."""

    published: ParsedDate | None
    updated: ParsedDate | None = None
    rule: str = "none"  # label | beside | nearest | tail | machine | above | url | republish | none


def reference_time(page: Page) -> datetime | None:
    """The time relative dates on a page are relative to: the fetch time of a fetched page.

    A file's modification time is not it (a copy resets it), so loaded files have none.
    """
    return page.fetched_at if page.origin in ("http", "warc") else None


def publish_time(
    *,
    header: str = "",
    headline: str | None = None,
    tail: str = "",
    machine: MachineDates | None = None,
    url: str | None = None,
    now: datetime | None = None,
) -> PageDates:
    """Rank every candidate of a page (see the module docstring) and return the publish time.

    `header`: the printed text from the top of the page to the body, in page order (site
    parsers pass their meta line, and no headline); `headline`: the title as found, to locate
    the meta line in a page's header;
    `tail`: text just under the body (only labelled dates count there); `machine`: from
    `read_machine_dates`; `now`: `reference_time(page)`.
    """
    header = join_split_date(header)
    from_url = date_from_url(url)
    stated = machine.published if machine else None
    anchor = from_url or (stated.date if stated else None)
    anchor_day = anchor.value.date() if anchor else None
    year = year_from_url(url) if anchor is None else None
    head = labelled_dates(header, anchor=anchor_day, year=year, now=now) if header else []
    under = labelled_dates(tail, anchor=anchor_day, year=year, now=now) if tail else []

    updated_date = _first_role(head, "updated") or _first_role(under, "updated")
    if updated_date is None and machine is not None and machine.updated is not None:
        updated_date = machine.updated.date

    chosen, rule = _choose(head, under, _headline_end(header, headline), headline is None, stated, from_url)
    if chosen is None:
        return PageDates(None, updated_date)
    if chosen.origin == "page" and from_url is not None and chosen.value - from_url.value > REPUBLISH_GAP:
        return PageDates(from_url, updated_date or chosen, "republish")
    if stated is not None and rule != "machine":
        chosen = _in_stated_zone(chosen, stated)
    if updated_date is not None and updated_date.value == chosen.value:
        updated_date = None
    return PageDates(chosen, updated_date, rule)


def _choose(
    head: list[LabelledDate],
    under: list[LabelledDate],
    headline_end: int | None,
    meta_line: bool,
    stated: Stated | None,
    from_url: ParsedDate | None,
) -> tuple[ParsedDate | None, str]:
    usable = [c for c in head if c.role in _PUBLISHABLE and _trusted(c)]
    labelled = [c for c in usable if c.role == "published"]
    if headline_end is not None:  # the meta line under the headline before a labelled date above it
        labelled.sort(key=lambda c: c.start < headline_end)
    if labelled:
        return _agreeing(labelled, stated.date if stated else None).date, "label"
    unlabelled = [c for c in usable if c.role == "unlabelled"]
    above: list[LabelledDate] = []
    if headline_end is None:
        if unlabelled:
            # A site's meta line is trusted unless the meta contradicts it; in a page's header
            # where the headline was not located, the date may be a top bar's "today": it counts
            # when the meta's or the URL's day does not contradict it (a day's slack).
            known = stated.date if stated else (None if meta_line else from_url)
            slack = 0 if meta_line else 1
            nearest = _agreeing(unlabelled[::-1], known)
            if known is None or abs((nearest.date.value.date() - known.value.date()).days) <= slack:
                return nearest.date, "nearest"
    else:
        beside = [c for c in unlabelled if c.start >= headline_end]
        if beside:
            return _agreeing(beside, stated.date if stated else None).date, "beside"
        above = [c for c in unlabelled if c.start < headline_end][::-1]  # nearest the headline first
    tail = [c for c in under if c.role == "published" and _trusted(c)]
    # Below the body or above the headline, a printed date needs the meta's or the URL's day
    # (a related item or a top bar otherwise); it then gives its printed precision.
    for known, rule in ((stated.date if stated else None, "machine"), (from_url, "url")):
        if known is None:
            continue
        for group, name in ((tail, "tail"), (above, "above")):
            for c in group:
                if _same_day(c.date, known):
                    return c.date, name
        return known, rule
    if tail:
        return tail[0].date, "tail"
    return None, "none"


def _trusted(c: LabelledDate) -> bool:
    """Month-only and year-less/relative dates count only when labelled or on a line of their own."""
    if c.date.precision == "month" or c.inferred:
        return c.role == "published" or c.standalone
    return True


def _agreeing(cands: list[LabelledDate], known: ParsedDate | None) -> LabelledDate:
    """The first candidate on the machine-stated day, else the first candidate."""
    if known is not None:
        for c in cands:
            if _same_day(c.date, known):
                return c
    return cands[0]


def _same_day(a: ParsedDate, b: ParsedDate) -> bool:
    return a.value.date() == b.value.date()


def _first_role(cands: list[LabelledDate], role: str) -> ParsedDate | None:
    for c in cands:
        if c.role == role:
            return c.date
    return None


def _headline_end(header: str, headline: str | None) -> int | None:
    """Where the last copy of the headline ends in `header` (whitespace-insensitive), or None."""
    if not header or not headline:
        return None
    key = _SPACE.sub("", headline)[:_HEADLINE_KEY]
    if len(key) < 4:
        return None
    end = None
    for m in re.finditer(r"\s*".join(map(re.escape, key)), header):
        end = m.end()
    return end


def _in_stated_zone(printed: ParsedDate, stated: Stated) -> ParsedDate:
    """A printed time that is the machine's instant written in another zone becomes that instant."""
    if printed.precision != "minute" or stated.offset is None or stated.date.precision != "minute":
        return printed
    instant = stated.date.value.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    minutes = (printed.value.replace(tzinfo=None, second=0) - instant).total_seconds() / 60
    if minutes % 60 or abs(minutes) > 14 * 60 or minutes in (0, 8 * 60):
        return printed
    at = stated.date.value if printed.value.second else stated.date.value.replace(second=0)
    return ParsedDate(at.astimezone(SHANGHAI), "minute", printed.origin)
