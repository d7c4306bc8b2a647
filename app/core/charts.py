"""Charts drawn on the server as SVG by pygal: no JavaScript, nothing fetched. Used by the BRI's dashboard and
annual report, and by a project's results (its page and its funder's report).

Every chart comes with its data as a table beside it (the page's template); the SVG is an image (``role="img"``
named by its title) for those who see it. A page's Content-Security-Policy forbids inline styles, so the SVG shown on
a page loses pygal's ``<style>`` and ``style`` attributes and takes its colours from ``static/charts.css``; the PDF
keeps pygal's own style (WeasyPrint reads it from the SVG).
"""

import math
import re
import sys
from collections.abc import Callable, Sequence

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

# pygal adds an import hook for its map plugins (``pygal.maps.*``, unused here), which warns at every later import
# that goes through it (ImportWarning: find_spec not found): take it out.
sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, pygal.PluginImportFixer)]

# A calm palette, each colour at least 4.5:1 against white (WCAG 1.4.11 asks 3:1 of graphical objects).
PALETTE = ("#1f5f8b", "#8a5300", "#2e6b4f", "#5c4a8f", "#9b3535", "#46535f")
FONT = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#495057",
    opacity=".95",
    opacity_hover=".95",
    colors=PALETTE,
    font_family=FONT,
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=12,
    title_font_size=15,
)
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# pygal writes its configuration for its (unused) scripts even with ``js=[]``.
_SCRIPT = re.compile(r"<script[^>]*>.*?</script>", re.DOTALL)


def _config(title: str, formatter: Callable, height: int) -> dict:
    return {
        "title": title,
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "show_legend": False,
        "print_values": False,
        "value_formatter": formatter,
        "width": 720,
        "height": height,
        "truncate_label": 40,
        "truncate_legend": 40,
        "margin": 12,
        "no_data_text": "",
    }


def _finish(svg: str, title: str, for_pdf: bool) -> Markup:
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    if not for_pdf:
        svg = _STYLE_ATTRIBUTE.sub("", _STYLE_ELEMENT.sub("", svg))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return Markup(svg)  # noqa: S704 - pygal builds the SVG with an XML library: every label is escaped


def axis_labels(values: Sequence[float], most: int = 6) -> list[float]:
    """The labels of a value axis from 0 (or the lowest value, if negative) to the highest value, in round steps (1,
    2 or 5 times a power of ten), at most ``most`` steps; none when every value is 0 (pygal draws its own axis)."""
    low, high = min([0, *values]), max([0, *values])
    if low == high:
        return []
    magnitude = 10 ** math.floor(math.log10((high - low) / most))
    step = next(m * magnitude for m in (1, 2, 5, 10) if (high - low) / (m * magnitude) <= most)
    first, last = math.floor(low / step), math.ceil(high / step)
    # round(): 3 * 0.1 is 0.30000000000000004, which a label would say.
    return [round(i * step, 12) for i in range(first, last + 1)]


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    formatter: Callable = str,
    horizontal: bool = True,
    for_pdf: bool = False,
    counts: bool = True,
) -> Markup:
    """One series of bars, ``labels[i]`` worth ``values[i]``; horizontal bars suit long labels (countries, projects).
    ``counts``: whole numbers, whose axis has whole steps."""
    height = max(160, 60 + 34 * len(labels)) if horizontal else 320
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    config = _config(title, formatter, height)
    if counts:
        step = max(1, math.ceil(max(values, default=0) / 5))
        config["y_labels"] = list(range(0, max(values, default=0) + step + 1, step))
    chart = kind(**config)
    chart.x_labels = list(labels)
    chart.add(title, list(values))
    return _finish(chart.render(is_unicode=True), title, for_pdf)


def stacked_bar(title: str, parts: Sequence[tuple[str, float]], formatter: Callable, for_pdf: bool = False) -> Markup:
    """One bar cut into ``parts`` (label, value), each in its colour, with a legend (an envelope: held, asked,
    left)."""
    config = _config(title, formatter, 200) | {"show_legend": True, "legend_at_bottom": True}
    chart = pygal.HorizontalStackedBar(**config)
    chart.x_labels = [""]
    for label, value in parts:
        chart.add(label, [max(value, 0)])
    return _finish(chart.render(is_unicode=True), title, for_pdf)


def grouped_bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    formatter: Callable = str,
    width: int = 520,
    height: int = 260,
    for_pdf: bool = False,
) -> Markup:
    """Vertical bars, one group per label and one bar per series (name, values; None: no bar), with a legend: the
    target and the actual value of each period of an indicator."""
    config = _config(title, formatter, height) | {"show_legend": True, "legend_at_bottom": True, "width": width}
    axis = axis_labels([v for _name, values in series for v in values if v is not None])
    if axis:  # pygal's own scale wrote up to 16 labels over the 120 pixels of the plot, one over the other
        config["y_labels"] = axis
    chart = pygal.Bar(**config)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _finish(chart.render(is_unicode=True), title, for_pdf)
