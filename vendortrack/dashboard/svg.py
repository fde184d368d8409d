"""Charts drawn on the server as SVG: no script to ship or to allow in the content security
policy, and the page prints and reads without JavaScript. Pure functions of their data.

Every text is escaped here, since vendor names and labels come from users. Colours are SVG
presentation attributes, which the policy's ban on inline style attributes does not touch.
"""

from datetime import date

from markupsafe import Markup, escape

BAR = "#0d6efd"
GRID = "#dee2e6"
TEXT = "#212529"
LABEL_CHARS = 26  # longer labels are cut, whole in the hover title and the table


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _linked(link: str | None, inner: str) -> str:
    return f'<a href="{escape(link)}">{inner}</a>' if link else inner


def bar_chart(
    items: list[tuple[str, int, str | None]],
    title: str,
    colours: list[str] | None = None,
    width: int = 480,
) -> Markup:
    """Horizontal bars, one per (label, value, link); a bar with a link opens it when clicked."""
    row, label_width, value_width = 26, 190, 40
    height = max(len(items), 1) * row + 4
    top = max((value for _, value, _ in items), default=0) or 1
    span = width - label_width - value_width
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for n, (label, value, link) in enumerate(items):
        y = n * row + 2
        length = round(span * value / top) if value else 0
        fill = colours[n % len(colours)] if colours else BAR
        inner = (
            f"<title>{escape(label)}: {value}</title>"
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(_short(label))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{row - 8}" '
            f'fill="{escape(fill)}"/>'
            f'<text x="{label_width + length + 6}" y="{y + 17}" font-size="13" '
            f'fill="{TEXT}">{value}</text>'
        )
        parts.append(f"<g>{_linked(link, inner)}</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(
    points: list[tuple[date, float]],
    title: str,
    day_label=str,
    width: int = 480,
    height: int = 200,
) -> Markup:
    """A line of per-cent values (0 to 100) through time; `day_label` writes a date."""
    left, right, top, bottom = 40, 12, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for percent in (0, 50, 100):
        y = top + plot_h * (1 - percent / 100)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TEXT}">{percent}%</text>'
        )
    if points:
        first, last = points[0][0], points[-1][0]
        days = (last - first).days or 1

        def place(day: date, value: float) -> tuple[float, float]:
            x = left + plot_w * ((day - first).days / days if last != first else 0.5)
            return x, top + plot_h * (1 - max(0.0, min(value, 100.0)) / 100)

        placed = [(day, value, *place(day, value)) for day, value in points]
        line = " ".join(f"{x:.1f},{y:.1f}" for _, _, x, y in placed)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{BAR}" stroke-width="2"/>')
        for day, value, x, y in placed:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BAR}">'
                f"<title>{escape(day_label(day))}: {value:.0f}%</title></circle>"
            )
        ends = [(first, "start", left), (last, "end", width - right)]
        for day, anchor, x in ends[: 2 if last != first else 1]:
            parts.append(
                f'<text x="{x}" y="{height - 8}" text-anchor="{anchor}" font-size="12" '
                f'fill="{TEXT}">{escape(day_label(day))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
