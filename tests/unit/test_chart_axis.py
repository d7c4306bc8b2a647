"""The value axis of an indicator's chart: a few round steps from 0 (or below) to the highest value, not pygal's
own scale, which wrote up to 16 labels one over the other in the plot's 120 pixels."""

import re

import pytest

from app.core.charts import axis_labels, grouped_bars


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1200, 950], [0, 200, 400, 600, 800, 1000, 1200]),
        ([50, 42], [0, 10, 20, 30, 40, 50]),
        ([3, 2], [0, 0.5, 1, 1.5, 2, 2.5, 3]),
        ([0.5, 0.25], [0, 0.1, 0.2, 0.3, 0.4, 0.5]),
        ([12.5, 30], [0, 5, 10, 15, 20, 25, 30]),
        ([7], [0, 2, 4, 6, 8]),
        ([1234567, 10], [0, 500000, 1000000, 1500000]),
        ([-5, 10], [-5, 0, 5, 10]),
        ([0, 0], []),
        ([], []),
    ],
)
def test_the_axis_has_round_steps_and_at_most_seven_labels(values, expected):
    assert axis_labels(values) == expected
    assert len(axis_labels(values)) <= 7


def test_the_chart_of_an_indicator_writes_its_axis_labels():
    svg = grouped_bars("Ménages", ["déc. 2026"], [("Cible", [1200.0]), ("Valeur réelle", [950.0])], str)
    axis = re.search(r'<g class="axis y[^"]*">(.*?)<g class="axis x', svg, re.DOTALL).group(1)
    assert re.findall(r"<text[^>]*>([^<]*)</text>", axis) == ["0", "200", "400", "600", "800", "1000", "1200"]
