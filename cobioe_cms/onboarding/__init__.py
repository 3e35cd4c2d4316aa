"""Bulk onboarding of organisations from CSV/XLSX files (the app ``cobioe_onboarding``,
above ``actors`` and ``core``: no app imports it).

The flow an editor follows in the admin, and the module behind each step:

1. ``reader``: the uploaded file becomes a header and rows of text (limits, encodings).
2. ``mapping``: each column is mapped to a field of the actor profile (guessed first).
3. ``validation``: each row is cleaned against the taxonomies and countries.
4. ``analysis``: each row compared with the existing actors and earlier rows (the
   finder of :mod:`cobioe_cms.actors.duplicates`), the default decision of each row
   and the check of the decisions an editor posts.
5. ``apply``: the decided import, written in one transaction (``create``, and the
   merge of :mod:`cobioe_cms.actors.duplicates.merge`).

The record of an import is ``models.ActorImport``. The admin views live in ``views`` and
``finder_views`` (the duplicate finder's screens and the merge of two profiles); menu
items and URLs in ``wagtail_hooks``; ``middleware`` lifts Django's form field limit on
the import's own forms.
"""
