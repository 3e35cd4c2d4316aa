"""The record of one bulk import of organisations, from upload to report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorImport(models.Model):
    """An editor's import of a CSV/XLSX list of organisations into a cartography.

    It keeps what the preview needs between requests: the parsed rows (the uploaded file
    itself is not kept), the column mapping, the analysis of each row (cleaned values,
    errors, duplicate candidates) and the editor's decision per row. Once applied it
    keeps the report. Actors are created or merged by
    :mod:`cobioe_cms.onboarding.apply`, in a background task (status "applying"
    meanwhile); cancelling writes nothing but the status.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("preview")
        APPLYING = "applying", _("being applied")
        APPLIED = "applied", _("applied")
        CANCELLED = "cancelled", _("cancelled")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    cartography = models.ForeignKey(
        "cobioe_actors.CartographyPage",
        verbose_name=_("cartography"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    publish = models.BooleanField(
        _("publish imported profiles"),
        default=False,
        help_text=_("Otherwise new profiles are saved as drafts for review."),
    )
    default_country = models.CharField(_("country of rows without one"), max_length=2, blank=True)
    # [header, ...]; [{"line": n, "cells": [...], "problem": ""}, ...]
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    # {field key: column index}
    mapping = models.JSONField(default=dict)
    # One entry per row (see analysis.analyse_rows); empty until mapped.
    analysis = models.JSONField(default=list)
    # {row index: "create" | "skip" | "merge:<actor id>"}
    decisions = models.JSONField(default=dict)
    report = models.JSONField(default=dict)

    class Meta:
        # The table it had in actors: the model moved apps, its rows stayed (migrations
        # cobioe_actors 0008 and cobioe_onboarding 0001).
        db_table = "cobioe_actors_actorimport"
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_analysed(self) -> bool:
        return bool(self.analysis)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PREVIEW
