"""The EHR-use metrics Burden Tracker measures retirements against, and what their vendors call them.

Pure: no database. Each canonical metric is a ratio kept as its numerator and denominator per department and
calendar month (services/metrics_import.py), so that months and departments pool by summing both, never by
averaging averages. The vendor names below are the defaults an admin can add to (models.MetricName); a name is
matched with its case, spaces, hyphens and underscores ignored.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Metric:
    """A canonical metric: numerator ÷ denominator × per, in its unit. The numerator is time in the EHR (hours or
    minutes), or alert firings; the denominator counts what the time is spread over (scheduled hours, days,
    shifts, weeks), which is what turns a change of the metric back into hours."""

    key: str
    name: str
    unit: str
    numerator: str = "hours"  # hours, minutes or firings
    denominator: str = "scheduled hours"
    per: float = 8
    lower_is_better: bool = True

    def hours_in_numerator(self, minutes_per_occurrence: float) -> float:
        """Hours one unit of the numerator stands for: a firing costs the nomination's minutes each time."""
        return {"hours": 1.0, "minutes": 1 / 60}.get(self.numerator, minutes_per_occurrence / 60)


def _time8(key: str, name: str) -> Metric:
    return Metric(key, name, "hours per 8 scheduled hours")


METRICS = {metric.key: metric for metric in (
    _time8("EHR-Time8", "EHR time per 8 hours of scheduled patient time"),
    _time8("WOW8", "Work outside of work: EHR time outside scheduled patient hours, per 8 scheduled hours"),
    Metric("Pajama time", "EHR time on weekday evenings and weekends", "minutes a day", "minutes", "days", 1),
    _time8("IB-Time8", "Inbox time per 8 hours of scheduled patient time"),
    _time8("Note-Time8", "Note time per 8 hours of scheduled patient time"),
    _time8("Order-Time8", "Order time per 8 hours of scheduled patient time"),
    Metric("Flowsheet time", "Time in flowsheets per 12-hour nursing shift", "minutes per shift", "minutes",
           "shifts", 1),
    Metric("Alert firings", "Alert firings per week", "firings a week", "firings", "weeks", 1),
)}

# Names a vendor's export may use for each metric, besides the canonical key itself (which name_key already matches
# in any case and spacing). Starting points an admin extends for their own vendor's spelling; each is the same
# measure, not a cousin with another denominator.
DEFAULT_VENDOR_NAMES = {
    "EHR-Time8": ("EHR time per 8 hours of scheduled patient time",),
    "WOW8": ("Work Outside of Work", "Work Outside of Work 8", "Time Outside Scheduled Hours per 8"),
    "Pajama time": ("Pajama Time per Day", "Time on Weekday Evenings and Weekends"),
    "IB-Time8": ("In Basket Time 8", "Inbox Time 8", "IB Time per 8 Scheduled Hours"),
    "Note-Time8": ("Documentation Time 8",),
    "Order-Time8": ("Orders Time 8",),
    "Flowsheet time": ("Time in Flowsheets per Shift", "Flowsheet Time per 12 Hour Shift"),
    "Alert firings": ("Alert Firings per Week", "BPA Firings", "Best Practice Advisory Firings"),
}


def name_key(name) -> str:
    """`EHR-Time8`, `ehr time 8` and `EHR_Time_8` are one name."""
    return re.sub(r"[\s_\-]+", "", str(name or "")).casefold()


def month_of(value) -> date | None:
    """The first day of the calendar month a header or a cell names: `2026-01`, `2026-01-31`, or a real date.
    None when it names no month."""
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T][\d:.]+)?\s*", str(value or ""))
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3] or 1)).replace(day=1)
    except ValueError:
        return None
