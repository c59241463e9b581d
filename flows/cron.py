"""A small validator for five-field cron expressions, so a typo in sites.toml fails on load.

Prefect's own cron parser lives inside the prefect package (seconds to import); this one
accepts the same standard syntax: numbers, `*`, ranges, steps, lists, month/day names and
the `@hourly`-style aliases.
"""

from __future__ import annotations

ALIASES = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
# (field name, low, high, names mapped to numbers)
_FIELDS = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, {name: i + 1 for i, name in enumerate(_MONTHS)}),
    ("day of week", 0, 7, {name: i for i, name in enumerate(_DAYS)}),
)


class CronError(ValueError):
    pass


def _number(text: str, low: int, high: int, names: dict[str, int], field: str) -> int:
    value = names.get(text.lower())
    if value is None:
        if not text.isdigit():
            raise CronError(f"{field}: {text!r} is not a number")
        value = int(text)
    if not low <= value <= high:
        raise CronError(f"{field}: {value} is outside {low}-{high}")
    return value


def _check_field(text: str, field: str, low: int, high: int, names: dict[str, int]) -> None:
    for part in text.split(","):
        if not part:
            raise CronError(f"{field}: empty list item in {text!r}")
        base, _, step = part.partition("/")
        if step and (not step.isdigit() or int(step) == 0):
            raise CronError(f"{field}: bad step {step!r}")
        if base == "*":
            continue
        start, dash, end = base.partition("-")
        first = _number(start, low, high, names, field)
        if dash:
            last = _number(end, low, high, names, field)
            if last < first:
                raise CronError(f"{field}: range {base!r} runs backwards")


def validate_cron(expression: str) -> str:
    """Return the expression if it is a valid 5-field cron schedule, else raise CronError."""
    text = expression.strip()
    if text.lower() in ALIASES:
        return text
    fields = text.split()
    if len(fields) != 5:
        raise CronError(f"{expression!r} has {len(fields)} fields; cron needs 5 (min hour dom month dow)")
    for value, (field, low, high, names) in zip(fields, _FIELDS, strict=True):
        _check_field(value, field, low, high, names)
    return text
