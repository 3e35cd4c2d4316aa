"""Charts of the panorama, as inline SVG rendered on the server.

Pure functions: they take numbers and labels and return markup, so a chart needs no
script, reads with a screen reader (``role="img"`` with a title and a description,
and a table of the same numbers next to it) and without colour (every bar has its
label above it and its value written after it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
ROW_HEIGHT = 40  # a label line, then the bar
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
INDENT = 16  # sub-stages are indented under their parent
VALUE_ROOM = 140  # room after the longest bar for its written value


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and the text written after it."""

    label: str
    value: int
    text: str = ""
    depth: int = 0


@dataclass(frozen=True)
class _DrawnBar:
    label: str
    text: str
    label_x: int
    label_y: int
    bar_x: int
    bar_y: int
    width: int
    text_x: int
    text_y: int


def layout(bars: list[Bar]) -> tuple[list[_DrawnBar], int]:
    """The geometry of a horizontal bar chart: bars scaled to the largest value."""
    largest = max((bar.value for bar in bars), default=0) or 1
    drawn = []
    for position, bar in enumerate(bars):
        top = position * ROW_HEIGHT
        x = bar.depth * INDENT
        room = WIDTH - VALUE_ROOM - x
        width = round(room * bar.value / largest) if bar.value else 0
        drawn.append(
            _DrawnBar(
                label=bar.label,
                text=bar.text or str(bar.value),
                label_x=x,
                label_y=top + LABEL_HEIGHT - 3,
                bar_x=x,
                bar_y=top + LABEL_HEIGHT + 2,
                width=max(width, 1 if bar.value else 0),
                text_x=x + width + 6,
                text_y=top + LABEL_HEIGHT + 2 + BAR_HEIGHT - 2,
            )
        )
    return drawn, max(len(bars), 1) * ROW_HEIGHT


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> SafeString:
    """A horizontal bar chart; ``chart_id`` makes the ids of its title and description
    unique in the page. Built with format_html: a template per chart cost ~10 ms."""
    drawn, height = layout(bars)
    rows = format_html_join(
        "",
        '<g><text class="panorama-chart__label" x="{}" y="{}">{}</text>'
        '<rect class="panorama-chart__bar" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="panorama-chart__value" x="{}" y="{}">{}</text></g>',
        (
            (
                bar.label_x,
                bar.label_y,
                bar.label,
                bar.bar_x,
                bar.bar_y,
                bar.width,
                BAR_HEIGHT,
                bar.text_x,
                bar.text_y,
                bar.text,
            )  # fmt: skip
            for bar in drawn
        ),
    )
    return format_html(
        '<svg class="panorama-chart" viewBox="0 0 {width} {height}" width="{width}" '
        'height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{description}</desc>{rows}</svg>',
        width=WIDTH,
        height=height,
        id=chart_id,
        title=title,
        description=description,
        rows=rows,
    )
