"""Reading a month and a metric's name as vendors write them."""

from datetime import date, datetime

import pytest

from burden_tracker.ehr_metrics import DEFAULT_VENDOR_NAMES, METRICS, month_of, name_key


@pytest.mark.parametrize(("written", "month"), [
    ("2026-01", date(2026, 1, 1)), ("2026-1", date(2026, 1, 1)), (" 2026-01-31 ", date(2026, 1, 1)),
    ("2026-02-01 00:00:00", date(2026, 2, 1)), (datetime(2026, 3, 15, 8), date(2026, 3, 1)),
    (date(2026, 4, 30), date(2026, 4, 1)),
    ("January 2026", None), ("2026-13", None), ("2026-02-30", None), ("", None), (None, None), (202601, None),
])
def test_a_month_is_read_from_a_header_or_a_cell(written, month):
    assert month_of(written) == month


def test_names_match_whatever_their_case_spaces_hyphens_and_underscores():
    assert name_key("EHR-Time8") == name_key("ehr time 8") == name_key("EHR_Time_8")


def test_each_default_vendor_name_belongs_to_a_metric_and_to_only_one():
    keys = [name_key(name) for metric, names in DEFAULT_VENDOR_NAMES.items() for name in (metric, *names)]
    assert set(DEFAULT_VENDOR_NAMES) == set(METRICS)
    assert len(keys) == len(set(keys))
