"""The geometry of the dashboard's charts, which the server draws as SVG: no script to ship or to
allow in the content security policy, and the page prints and reads without JavaScript.

Pure functions of their data, returning numbers and plain text only. The markup is drawn by
templates/dashboard/_charts.html, where Jinja's autoescaping escapes every text: vendor names and
labels come from users, and text escaped here as well would show as `&amp;` on the page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

LABEL_CHARS = 26  # longer labels are cut, whole in the hover title and the table
ROW, LABEL_WIDTH, VALUE_WIDTH = 26, 190, 40  # a bar chart's row height and columns
GAP = 6  # between a bar and its value, and between the axis and a tick's label


@dataclass(frozen=True)
class Bar:
    label: str  # whole, for the hover title
    short_label: str  # drawn beside the bar
    value: int
    link: str | None  # opened when the bar is clicked
    fill: str | None  # None: the charts' usual colour
    top: int
    baseline: int  # of the label and the value
    length: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    label_end: int  # labels are right-aligned here
    bar_start: int
    bar_height: int


@dataclass(frozen=True)
class Tick:
    """A horizontal grid line at `percent`, labelled left of the axis."""

    percent: int
    y: float
    label_x: int
    label_y: float


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: str  # the date, as the reader writes it
    value: float  # per cent


@dataclass(frozen=True)
class DayLabel:
    text: str
    x: int
    anchor: str  # "start" or "end": the label does not run past the plot's edge


@dataclass(frozen=True)
class Plot:
    """The area the line is drawn in, and where a day and a share fall in it."""

    left: int
    right: int
    top: int
    bottom: int

    def y(self, percent: float) -> float:
        clamped = max(0.0, min(percent, 100.0))
        return self.top + (self.bottom - self.top) * (1 - clamped / 100)

    def x(self, day: date, first: date, last: date) -> float:
        if last == first:
            return self.left + (self.right - self.left) * 0.5
        return self.left + (self.right - self.left) * ((day - first).days / (last - first).days)


@dataclass(frozen=True)
class LineChart:
    title: str
    width: int
    height: int
    plot: Plot
    ticks: list[Tick]
    points: list[Point]  # oldest first; the line joins them
    day_labels: list[DayLabel]
    day_baseline: int


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(
    items: list[tuple[str, int, str | None]],
    title: str,
    colours: list[str] | None = None,
    width: int = 480,
) -> BarChart:
    """Lay out horizontal bars, one per (label, value, link), the longest for the largest value."""
    largest = max((value for _, value, _ in items), default=0) or 1
    span = width - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for n, (label, value, link) in enumerate(items):
        row_top = n * ROW + 2
        length = round(span * value / largest) if value else 0
        fill = colours[n % len(colours)] if colours else None
        value_x = LABEL_WIDTH + length + GAP
        bars.append(
            Bar(label, _short(label), value, link, fill, row_top + 3, row_top + 17, length, value_x)
        )
    return BarChart(
        title=title,
        width=width,
        height=max(len(items), 1) * ROW + 4,
        bars=bars,
        label_end=LABEL_WIDTH - 8,
        bar_start=LABEL_WIDTH,
        bar_height=ROW - 8,
    )


def _day_labels(
    first: date | None, last: date | None, plot: Plot, day_label: Callable[[date], str]
) -> list[DayLabel]:
    """The first day under the line's start and, if another, the last day under its end."""
    if first is None:
        return []
    labels = [DayLabel(day_label(first), plot.left, "start")]
    if last != first:
        labels.append(DayLabel(day_label(last), plot.right, "end"))
    return labels


def line_chart(
    points: list[tuple[date, float]],
    title: str,
    day_label: Callable[[date], str] = str,
    width: int = 480,
    height: int = 200,
) -> LineChart:
    """Lay out a line of per-cent values (0 to 100) through time; `day_label` writes a date."""
    plot = Plot(left=40, right=width - 12, top=10, bottom=height - 28)
    first, last = (points[0][0], points[-1][0]) if points else (None, None)
    return LineChart(
        title=title,
        width=width,
        height=height,
        plot=plot,
        ticks=[Tick(p, plot.y(p), plot.left - GAP, plot.y(p) + 4) for p in (0, 50, 100)],
        points=[
            Point(plot.x(day, first, last), plot.y(value), day_label(day), value)
            for day, value in points
        ],
        day_labels=_day_labels(first, last, plot, day_label),
        day_baseline=height - 8,
    )
