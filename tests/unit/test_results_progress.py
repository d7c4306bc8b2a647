"""The progress of an indicator's period towards its target, and its lateness: pure arithmetic."""

from datetime import date
from decimal import Decimal

import pytest

from app.projects.progress import is_late, progress_percent

D = Decimal


@pytest.mark.parametrize(
    ("actual", "target", "baseline", "ascending", "expected"),
    [
        # Ascending, from a baseline: the share of the way covered.
        (D("42"), D("50"), D("10"), True, D("80")),
        (D("10"), D("50"), D("10"), True, D("0")),
        (D("60"), D("50"), D("10"), True, D("125")),
        (D("5"), D("50"), D("10"), True, D("-13")),  # moved away from the target: -12.5 rounds half up to -13
        # Ascending, no baseline: the actual value against the target.
        (D("30"), D("40"), None, True, D("75")),
        (D("1"), D("3"), None, True, D("33")),
        (D("2"), D("3"), None, True, D("67")),
        # Descending (a lower value is better), from a baseline.
        (D("65"), D("50"), D("80"), False, D("50")),
        (D("50"), D("50"), D("80"), False, D("100")),
        (D("90"), D("50"), D("80"), False, D("-33")),
        # Descending, no baseline: the target against the actual value.
        (D("20"), D("10"), None, False, D("50")),
        (D("8"), D("10"), None, False, D("125")),
    ],
)
def test_progress_respects_the_direction_of_the_indicator(actual, target, baseline, ascending, expected):
    assert progress_percent(actual, target, baseline, ascending) == expected


@pytest.mark.parametrize(
    ("actual", "target", "baseline", "ascending"),
    [
        (None, D("50"), D("10"), True),  # no actual value yet
        (D("5"), None, D("10"), True),  # no target
        (D("5"), D("10"), D("10"), True),  # the target is the baseline: no way to cover
        (D("5"), D("0"), None, True),
        (D("0"), D("10"), None, False),  # descending without baseline, an actual of zero
    ],
)
def test_progress_is_none_when_it_cannot_be_computed(actual, target, baseline, ascending):
    assert progress_percent(actual, target, baseline, ascending) is None


def test_progress_is_an_exact_whole_percent():
    result = progress_percent(D("0.1"), D("0.3"))
    assert result == D("33") and isinstance(result, Decimal) and str(result) == "33"
    assert str(progress_percent(D("0"), D("5"), D("0"))) == "0"


def test_a_period_is_late_once_ended_without_an_actual_value():
    today = date(2027, 3, 10)
    assert is_late(date(2027, 3, 9), has_actual=False, today=today)
    assert not is_late(date(2027, 3, 10), has_actual=False, today=today)  # it ends today
    assert not is_late(date(2027, 3, 9), has_actual=True, today=today)
    assert not is_late(date(2027, 6, 30), has_actual=False, today=today)
