"""How far a period of an indicator has gone towards its target: pure arithmetic, no database, no Flask.

IATI's indicators say whether a higher value is better (``ascending``) or a lower one (a rate of leaks, a delay).
The progress is the share of the way from the baseline to the target that the actual value covers; without a
baseline, the actual value against the target (ascending) or the target against the actual value (descending, so
that a value twice the target is 50 %). It can exceed 100 % (beyond the target) or be negative (moved away from
the target). It is None when it cannot be said: a missing value, a target equal to the baseline, a division by zero.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def progress_percent(
    actual: Decimal | None, target: Decimal | None, baseline: Decimal | None = None, ascending: bool = True
) -> Decimal | None:
    """The percentage of the target reached, rounded to a whole percent; None when it cannot be computed."""
    if actual is None or target is None:
        return None
    if baseline is not None:
        covered, way = (actual - baseline, target - baseline) if ascending else (baseline - actual, baseline - target)
    elif ascending:
        covered, way = actual, target
    else:
        covered, way = target, actual
    if way == 0:
        return None
    return (covered * HUNDRED / way).quantize(Decimal(1), rounding=ROUND_HALF_UP) + 0  # + 0: "-0" is zero


def is_late(period_end: date, has_actual: bool, today: date) -> bool:
    """A period that ended before today without an actual value recorded."""
    return not has_actual and period_end < today
