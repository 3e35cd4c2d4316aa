"""The panorama page and its CSV tables, read from the statistics' snapshot.

Every number comes from :mod:`.statistics` (no actor is read per request), and every
count links to the cartography filtered on the same slice (its query parameters are
the dimensions' keys). The cross-tabulation and the growth chart read the same GET
parameters as their CSV: ``rows``, ``cols`` and a slice of one value per dimension
(``?rows=country&cols=scale&type=cdmo``).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import StringIO
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cobioe_cms.core.spreadsheets import safe_cell

from . import charts, statistics
from .coverage import cartography_base_url, coverage_summary
from .coverage import cartography_slice_url as slice_url
from .statistics import DIMENSIONS

DEFAULT_ROWS = "modality"
DEFAULT_COLUMNS = "stage"
HEAT_LEVELS = 5  # shading classes of the cross-tabulation's cells (0 = none)


@dataclass
class Exploration:
    """The cross-tabulation and growth a visitor asked for: two dimensions and a slice,
    or the default with the reasons the request was not understood."""

    rows: str = DEFAULT_ROWS
    columns: str = DEFAULT_COLUMNS
    where: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def query(self) -> dict[str, str]:
        return {"rows": self.rows, "cols": self.columns, **self.where}


def parse_exploration(params: Mapping) -> Exploration:
    """Read ``rows``, ``cols`` and the slice from ``params`` (a QueryDict). Any value it
    cannot use gives a message and the default cross-tabulation without a slice."""
    snapshot = statistics.get_snapshot()
    errors = []
    choice = {}
    for name, default in (("rows", DEFAULT_ROWS), ("cols", DEFAULT_COLUMNS)):
        given = params.getlist(name)
        if len(given) > 1:
            errors.append(_("Choose one dimension for “%(name)s”.") % {"name": name})
        key = given[-1] if given else default
        if key not in DIMENSIONS:
            errors.append(
                _("“%(value)s” is not a dimension of the panorama (choose among %(choices)s).")
                % {"value": key[:50], "choices": ", ".join(DIMENSIONS)}
            )
        choice[name] = key
    if not errors and choice["rows"] == choice["cols"]:
        errors.append(_("Choose two different dimensions for the rows and the columns."))
    where = {}
    for key, dimension in DIMENSIONS.items():
        given = [value for value in params.getlist(key) if value]
        if len(given) > 1:
            errors.append(
                _("Choose one value of “%(dimension)s” at most.") % {"dimension": dimension.label}
            )
        elif given:
            if snapshot.value(key, given[0]) is None:
                errors.append(
                    _("“%(value)s” is not a known value of “%(dimension)s”.")
                    % {"value": given[0][:50], "dimension": dimension.label}
                )
            else:
                where[key] = given[0]
    if errors:
        return Exploration(errors=errors)
    return Exploration(choice["rows"], choice["cols"], where)


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.0f} %" if total else "–"


def dimension_counts(key: str) -> list[statistics.Count]:
    """A dimension's counts in the order the page and its CSV show them: the
    taxonomy's, and for countries (which have none of their own) the largest first."""
    counts = statistics.counts(key)
    if DIMENSIONS[key].is_country:
        counts.sort(key=lambda count: (-count.count, count.value.label))
    return counts


def dimension_blocks(base: str) -> list[dict]:
    """One block per dimension: its chart and its table rows, with the slices' links."""
    total = statistics.get_snapshot().total
    blocks = []
    for key, dimension in DIMENSIONS.items():
        counts = dimension_counts(key)
        label = str(dimension.label)
        rows = [
            {
                "key": count.value.key,
                "label": count.value.label,
                "depth": count.value.depth,
                "count": count.count,
                "share": _share(count.count, total),
                "url": slice_url(base, {key: count.value.key}),
            }
            for count in counts
        ]
        chart = charts.bar_chart(
            f"chart-{key}",
            _("Published actors — %(dimension)s") % {"dimension": label},
            _(
                "Horizontal bars, one per value, with the number of actors written after "
                "each bar; the table below gives the same numbers."
            ),
            [charts.Bar(row["label"], row["count"], depth=row["depth"]) for row in rows],
        )
        blocks.append({"key": key, "label": label, "rows": rows, "chart": chart})
    return blocks


def crosstab_table(exploration: Exploration, base: str) -> dict:
    """The cross-tabulation's headers and cells, each cell with its level of shading
    and the link to its slice."""
    row_values, column_values, cells = statistics.crosstab(
        exploration.rows, exploration.columns, exploration.where
    )
    largest = max((cell for row in cells for cell in row), default=0)
    body = []
    # Built with format_html: a country x modality table has hundreds of cells, which
    # cost ~0.3 s through template tags.
    for value, counts in zip(row_values, cells, strict=True):
        row_where = {**exploration.where, exploration.rows: value.key}
        cells_html = format_html_join(
            "",
            '<td class="panorama-table__number heat-{}">{}</td>',
            (
                (
                    -(-HEAT_LEVELS * count // largest) if largest else 0,
                    _link(slice_url(base, {**row_where, exploration.columns: column.key}), count)
                    if count
                    else count,
                )
                for column, count in zip(column_values, counts, strict=True)
            ),
        )
        body.append(
            format_html(
                '<tr><th scope="row">{}</th>{}</tr>',
                _link(slice_url(base, row_where), value.label),
                cells_html,
            )
        )
    return {
        "rows_label": DIMENSIONS[exploration.rows].label,
        "columns_label": DIMENSIONS[exploration.columns].label,
        "columns": [
            {
                "value": column,
                "url": slice_url(base, {**exploration.where, exploration.columns: column.key}),
            }
            for column in column_values
        ],
        "rows": row_values,
        "body": mark_safe("".join(body)),  # noqa: S308 (format_html's output)
    }


def _link(url: str, text: object) -> str:
    return format_html('<a href="{}">{}</a>', url, text) if url else format_html("{}", text)


def growth_block(exploration: Exploration) -> dict:
    series = statistics.growth(exploration.where)
    chart = charts.bar_chart(
        "chart-growth",
        _("Published actors by year of first publication"),
        _(
            "Horizontal bars, one per year, as long as the number of actors published by "
            "the end of that year; the text after each bar gives that total and the "
            "actors new that year. The table below gives the same numbers."
        ),
        [
            charts.Bar(
                str(year),
                cumulative,
                _("%(total)s (+%(new)s new)") % {"total": cumulative, "new": new},
            )
            for year, new, cumulative in series
        ],
    )
    return {"series": series, "chart": chart}


def slice_description(where: Mapping[str, str]) -> str:
    snapshot = statistics.get_snapshot()
    return ", ".join(
        f"{DIMENSIONS[key].label}: {snapshot.value(key, value).label}"
        for key, value in where.items()
    )


def panorama_response(page, request: HttpRequest) -> TemplateResponse:
    """The panorama. Its sections are rendered once per generation of the statistics
    and language (template fragments cached in ``panorama_page.html``): what they need
    is computed lazily, only when a fragment is not in the cache."""
    snapshot = statistics.get_snapshot()
    base = cartography_base_url(request)
    exploration = parse_exploration(request.GET)
    context = page.get_context(request)
    context.update(
        {
            "total_actors": snapshot.total,
            "total_countries": sum(1 for value in snapshot.values["country"] if value.bits),
            "cartography_url": base,
            "generation": statistics.current_generation(),
            "blocks": SimpleLazyObject(lambda: dimension_blocks(base)),
            "exploration": exploration,
            "slice_label": SimpleLazyObject(lambda: slice_description(exploration.where)),
            "exploration_query": urlencode(exploration.query),
            "dimensions": [(key, dimension.label) for key, dimension in DIMENSIONS.items()],
            "slice_choices": SimpleLazyObject(lambda: slice_choices(snapshot, exploration)),
            "crosstab": SimpleLazyObject(lambda: crosstab_table(exploration, base)),
            "growth": SimpleLazyObject(lambda: growth_block(exploration)),
            "coverage": SimpleLazyObject(
                lambda: coverage_summary(page.coverage_goal, request=request)
            ),
            "countries": SimpleLazyObject(lambda: factsheet_links(page, request)),
        }
    )
    return TemplateResponse(request, page.get_template(request), context)


def slice_choices(snapshot: statistics.Snapshot, exploration: Exploration) -> list[dict]:
    """The cross-tabulation form's slice: the values with actors of each dimension."""
    return [
        {
            "key": key,
            "label": dimension.label,
            "values": [value for value in snapshot.values[key] if value.bits],
            "selected": exploration.where.get(key, ""),
        }
        for key, dimension in DIMENSIONS.items()
    ]


def factsheet_links(page, request) -> list[tuple[str, str, int, str]]:
    """(code, name, actors, URL) of every country's factsheet."""
    from .factsheets import countries_with_actors, factsheet_url

    page_url = page.get_url(request) or ""
    return [
        (code, label, count, factsheet_url(page, code, page_url=page_url))
        for code, label, count in countries_with_actors()
    ]


# -- CSV --------------------------------------------------------------------------------


def _csv_response(name: str, header: list[str], rows: list[list[object]]) -> HttpResponse:
    buffer = StringIO()
    buffer.write("\ufeff")  # the BOM lets spreadsheets detect UTF-8
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"cobioe-panorama-{name}-{timezone.now():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_csv_response(page, request: HttpRequest, name: str) -> HttpResponse:
    """A table of the panorama as CSV: a dimension's counts, the cross-tabulation or
    the growth (the last two with the page's GET parameters)."""
    if name in DIMENSIONS:
        return _csv_response(
            name,
            [name, "label", "actors"],
            [[c.value.key, c.value.label, c.count] for c in dimension_counts(name)],
        )
    if name not in {"crosstab", "growth"}:
        raise Http404("No such table")
    exploration = parse_exploration(request.GET)
    if exploration.errors:
        return HttpResponseBadRequest(
            "\n".join(exploration.errors) + "\n", content_type="text/plain; charset=utf-8"
        )
    if name == "growth":
        return _csv_response(
            name, ["year", "new_actors", "cumulative_actors"], statistics.growth(exploration.where)
        )
    row_values, column_values, cells = statistics.crosstab(
        exploration.rows, exploration.columns, exploration.where
    )
    header = [exploration.rows, "label", *(f"{exploration.columns}:{c.key}" for c in column_values)]
    return _csv_response(
        name,
        header,
        [
            [value.key, value.label, *counts]
            for value, counts in zip(row_values, cells, strict=True)
        ],
    )
