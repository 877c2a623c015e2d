"""Server-side SVG charts: horizontal bars for the funnel and breakdowns, paired columns for the monthly trend.

Plain SVG strings (no JavaScript), inline on the page and embedded in the PDF. Each chart has a title and a
``role="img"`` label; the page and the PDF show the same figures as a table next to it. Labels are escaped.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 90
BAR_HEIGHT = 18
GAP = 6
COLOURS = ("#2f6f9f", "#d98b2b")


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    title = escape(title)
    return mark_safe(  # noqa: S308 (every text inside is escaped above or below) # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{title}" class="chart" '
        f'font-family="Noto Sans, sans-serif" font-size="12"><title>{title}</title>{"".join(body)}</svg>'
    )


def bar_chart(title: str, items: list[tuple[str, int, str]]) -> SafeString:
    """One bar per (label, value, text shown at the bar's end); a bar of value 0 or less is not drawn."""
    items = items or []
    largest = max((value for _, value, _ in items), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    body = []
    for index, (label, value, text) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(span * max(value, 0) / largest)
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 5}" text-anchor="end">{escape(label[:34])}</text>'
        )
        if length > 0:
            body.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{COLOURS[0]}"/>')
        body.append(f'<text x="{LABEL_WIDTH + length + 4}" y="{y + BAR_HEIGHT - 5}">{escape(text)}</text>')
    height = GAP + max(len(items), 1) * (BAR_HEIGHT + GAP)
    return _svg(WIDTH, height, title, body)


def column_pairs_chart(title: str, series: tuple[str, str], points: list[tuple[str, int, int]]) -> SafeString:
    """Two columns per point (e.g. awarded and disbursed per month) with a legend; values of one unit."""
    plot_top, plot_height, bottom = 24, 160, 40
    largest = max((max(a, b) for _, a, b in points), default=0) or 1
    slot = max((WIDTH - 40) // max(len(points), 1), 8)
    column = max(slot // 3, 2)
    body = []
    for index, name in enumerate(series):
        x = 40 + index * 160
        body.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[index]}"/>')
        body.append(f'<text x="{x + 16}" y="14">{escape(name)}</text>')
    baseline = plot_top + plot_height
    body.append(f'<line x1="36" y1="{baseline}" x2="{WIDTH}" y2="{baseline}" stroke="#888"/>')
    for index, (label, first, second) in enumerate(points):
        x = 40 + index * slot
        for offset, value in enumerate((first, second)):
            height = round(plot_height * max(value, 0) / largest)
            if height:
                body.append(
                    f'<rect x="{x + offset * column}" y="{baseline - height}" width="{column}" height="{height}" '
                    f'fill="{COLOURS[offset]}"/>'
                )
        if len(points) <= 12 or index % 3 == 0:
            body.append(f'<text x="{x}" y="{baseline + 14}" font-size="10">{escape(label)}</text>')
    return _svg(WIDTH, plot_top + plot_height + bottom, title, body)
