"""Admin views of the import: upload -> mapping -> preview -> apply -> report.

Thin views: reading, analysis and applying live in the modules beside this one. Each
step checks that the import is still open and belongs to the editor asking; a posted
decision that the preview did not offer rejects the post and changes nothing.
"""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.auth import permission_required

from cobioe_cms.core.spreadsheets import safe_cell

from . import analysis, apply
from .forms import MappingForm, UploadForm
from .mapping import guess_mapping
from .models import ActorImport

PERMISSION = "cobioe_onboarding.add_actorimport"
PER_PAGE = 100
FILTERS = {
    "all": (gettext_lazy("All rows"), lambda e: True),
    "errors": (gettext_lazy("Invalid"), lambda e: bool(e["errors"])),
    "duplicates": (
        gettext_lazy("Possible duplicates"),
        lambda e: bool(e["candidates"] or e["same_as"] is not None),
    ),
    "warnings": (gettext_lazy("With warnings"), lambda e: bool(e["warnings"])),
}
editor_required = permission_required(PERMISSION)


def _own_open_import(request, pk: int) -> ActorImport | HttpResponse:
    """The import if the editor may work on it, else a redirect saying why."""
    record = get_object_or_404(ActorImport, pk=pk)
    if record.uploaded_by_id != request.user.pk:
        messages.error(request, _("This import belongs to another editor; nothing was changed."))
        return redirect("cobioe_actor_import:index")
    if record.status == ActorImport.Status.APPLYING:
        messages.warning(request, _("This import is being applied."))
        return redirect("cobioe_actor_import:report", record.pk)
    if not record.is_open:
        messages.error(request, _("This import was already applied or cancelled."))
        return redirect("cobioe_actor_import:report", record.pk)
    return record


@editor_required
def index(request):
    imports = ActorImport.objects.select_related("uploaded_by", "cartography")
    # The parsed rows and their analysis can be megabytes each: not for a listing.
    imports = imports.defer("headers", "rows", "mapping", "analysis", "decisions")
    paginator = Paginator(imports, 50)
    page = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "cobioe_onboarding/admin/import_index.html", {"page_obj": page}
    )


@editor_required
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        table = form.table
        record = ActorImport.objects.create(
            uploaded_by=request.user,
            file_name=request.FILES["file"].name[:255],
            cartography=form.cleaned_data["cartography"],
            headers=table.headers,
            rows=[{"line": r.line, "cells": r.cells, "problem": r.problem} for r in table.rows],
            mapping=guess_mapping(table.headers),
        )
        messages.success(
            request,
            _("%(rows)d rows read from “%(name)s”. Check which column feeds which field.")
            % {"rows": len(table.rows), "name": record.file_name},
        )
        for note in table.notes:
            messages.warning(request, note)
        return redirect("cobioe_actor_import:mapping", record.pk)
    if request.method == "POST":
        messages.error(request, _("The file could not be imported; see below."))
    return TemplateResponse(request, "cobioe_onboarding/admin/import_upload.html", {"form": form})


@editor_required
def mapping(request, pk: int):
    record = _own_open_import(request, pk)
    if isinstance(record, HttpResponse):
        return record
    form = MappingForm(
        request.POST or None,
        headers=record.headers,
        rows=record.rows,
        initial=MappingForm.initial_for(record.mapping, record.default_country),
    )
    if request.method == "POST" and form.is_valid():
        record.mapping = form.cleaned_data["mapping"]
        record.default_country = form.cleaned_data["default_country"]
        record.analysis = analysis.analyse_rows(record.rows, record.mapping, record.default_country)
        record.decisions = {}
        record.save(update_fields=["mapping", "default_country", "analysis", "decisions"])
        return redirect("cobioe_actor_import:preview", record.pk)
    return TemplateResponse(
        request, "cobioe_onboarding/admin/import_mapping.html", {"record": record, "form": form}
    )


def _preview_rows(record: ActorImport, show: str, number):
    entries = record.analysis
    keep = FILTERS.get(show, FILTERS["all"])[1]
    indices = [i for i, entry in enumerate(entries) if keep(entry)]
    page = Paginator(indices, PER_PAGE).get_page(number)
    page.rows = [
        {
            "index": i,
            "entry": entries[i],
            "decision": analysis.decision_of(entries, record.decisions, i),
            "choices": analysis.decision_choices(entries[i]),
        }
        for i in page.object_list
    ]
    return page


@editor_required
def preview(request, pk: int):
    record = _own_open_import(request, pk)
    if isinstance(record, HttpResponse):
        return record
    if not record.is_analysed:
        return redirect("cobioe_actor_import:mapping", record.pk)
    show = request.POST.get("show") or request.GET.get("show") or "all"
    show = show if show in FILTERS else "all"
    if request.method == "POST":
        return _post_preview(request, record, show)
    page = _preview_rows(record, show, request.GET.get("page"))
    context = {
        "record": record,
        "page_obj": page,
        "show": show,
        "filters": [(key, label) for key, (label, _test) in FILTERS.items()],
        "counts": analysis.counts(record.analysis, record.decisions),
    }
    return TemplateResponse(request, "cobioe_onboarding/admin/import_preview.html", context)


def _post_preview(request, record: ActorImport, show: str):
    url = reverse("cobioe_actor_import:preview", args=[record.pk])
    decisions, errors = analysis.parse_decisions(request.POST, record.analysis)
    if errors:
        for error in errors:
            messages.error(request, error)
        return redirect(f"{url}?show={show}")
    action = request.POST.get("action", "save")
    if action == "bulk":
        decisions.update(bulk_decisions(record.analysis, request.POST.get("bulk", "")))
    with transaction.atomic():
        locked = ActorImport.objects.select_for_update().get(pk=record.pk)
        if not locked.is_open:
            messages.error(request, _("This import was already applied or cancelled."))
            return redirect("cobioe_actor_import:report", record.pk)
        locked.decisions = {**locked.decisions, **decisions}
        locked.publish = request.POST.get("publish") == "on"
        locked.save(update_fields=["decisions", "publish"])
    if action == "apply":
        return _apply(request, record)
    page = request.POST.get("goto") or request.POST.get("page") or "1"
    return redirect(f"{url}?show={show}&page={page if page.isdigit() else 1}")


def _apply(request, record: ActorImport):
    if not apply.queue_import(record, request.user):
        messages.error(request, _("This import was already applied or cancelled."))
        return redirect("cobioe_actor_import:report", record.pk)
    record.refresh_from_db()
    if record.status == ActorImport.Status.PREVIEW:  # failed: the preview says why
        return redirect("cobioe_actor_import:preview", record.pk)
    if record.status == ActorImport.Status.APPLIED:
        message = _(
            "Import applied: %(created)d created, %(merged)d merged, %(skipped)d skipped, "
            "%(invalid)d invalid."
        )
        messages.success(request, message % record.report["counts"])
    return redirect("cobioe_actor_import:report", record.pk)


def bulk_decisions(entries: list[dict], choice: str) -> dict[str, str]:
    """One decision for every valid row with a candidate (or like an earlier row)."""
    decisions = {}
    for index, entry in enumerate(entries):
        if entry["errors"] or not (entry["candidates"] or entry["same_as"] is not None):
            continue
        if choice == "merge-best" and entry["candidates"]:
            decisions[str(index)] = f"{analysis.MERGE}:{entry['candidates'][0]['id']}"
        elif choice in (analysis.CREATE, analysis.SKIP):
            decisions[str(index)] = choice
    return decisions


@editor_required
@require_POST
def cancel(request, pk: int):
    record = _own_open_import(request, pk)
    if isinstance(record, HttpResponse):
        return record
    open_imports = ActorImport.objects.filter(pk=record.pk, status=ActorImport.Status.PREVIEW)
    if open_imports.update(status=ActorImport.Status.CANCELLED):
        message = _("Import of “%(name)s” cancelled; nothing was imported.")
        messages.success(request, message % {"name": record.file_name})
    return redirect("cobioe_actor_import:index")


@editor_required
def report(request, pk: int):
    record = get_object_or_404(ActorImport.objects.select_related("uploaded_by"), pk=pk)
    if record.status == ActorImport.Status.PREVIEW:
        return redirect("cobioe_actor_import:preview", record.pk)
    rows = record.report.get("rows", [])
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"record": record, "page_obj": page, "counts": record.report.get("counts", {})}
    return TemplateResponse(request, "cobioe_onboarding/admin/import_report.html", context)


@editor_required
def report_csv(request, pk: int):
    record = get_object_or_404(ActorImport, pk=pk, status=ActorImport.Status.APPLIED)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{record.pk}-report.csv"'
    response.write("\ufeff")  # so that Excel reads UTF-8
    writer = csv.writer(response)
    writer.writerow(["row", "name", "outcome", "actor_id", "admin_url", "note"])
    for row in record.report.get("rows", []):
        url = ""
        if row.get("actor"):
            url = request.build_absolute_uri(
                reverse("wagtailadmin_pages:edit", args=[row["actor"]])
            )
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    row["line"],
                    row["name"],
                    row["outcome"],
                    row.get("actor"),
                    url,
                    row.get("note"),
                )
            ]
        )
    return response
