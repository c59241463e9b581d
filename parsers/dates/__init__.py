"""The one date engine: every parser reads publish and update times through this package.

One job per module:
- `model`: `ParsedDate` (aware Asia/Shanghai value, precision, origin) and `SHANGHAI`;
- `printed`: dates as pages print them, read in one regex scan of a text;
- `labels`: the role a label gives a date (publish, update, banner, archive link, comment…);
- `lines`: dates in a text with their roles (`labelled_dates`, `find_date`, `parse_date`);
- `machine`: meta tags, JSON-LD and WeChat's script timestamp;
- `urls`: URL dates (the fallback, origin "url") and URL years;
- `dateline`: the day of a story's dateline (`新华社北京5月9日电`), normalization's fallback;
- `publish`: the ranking that picks a page's publish time (`publish_time`).

Why our own code and not a library: `jionlp.parse_time` normalizes one candidate well but does
not find or rank candidates in a page (that is the hard part, and ours either way), takes
0.36 s to import and prints a banner, which one-off commands pay on every start; `cn2an`
(0.7-1.8 s to import here, measured under load) would replace a 10-line numeral reader for
year/month/day digits; `extruct` imports rdflib (2.3-2.6 s) to read one JSON-LD field that
`json` reads. The engine imports in milliseconds and scans a header region once.
"""

from parsers.dates.dateline import dateline_date
from parsers.dates.labels import DateRole, date_role
from parsers.dates.lines import LabelledDate, find_date, find_updated_date, labelled_dates, parse_date
from parsers.dates.machine import MachineDates, Stated, read_machine_dates, read_stated
from parsers.dates.model import SHANGHAI, ParsedDate, make_date
from parsers.dates.publish import PageDates, publish_time, reference_time
from parsers.dates.urls import date_from_url, year_from_url

__all__ = [
    "SHANGHAI",
    "DateRole",
    "LabelledDate",
    "MachineDates",
    "PageDates",
    "ParsedDate",
    "Stated",
    "date_from_url",
    "date_role",
    "dateline_date",
    "find_date",
    "find_updated_date",
    "labelled_dates",
    "make_date",
    "parse_date",
    "publish_time",
    "read_machine_dates",
    "read_stated",
    "reference_time",
    "year_from_url",
]
