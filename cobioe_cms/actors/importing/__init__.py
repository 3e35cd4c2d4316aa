"""Bulk onboarding of organisations from CSV/XLSX files, and duplicate detection.

The flow an editor follows in the admin, and the module behind each step:

1. ``reader``: the uploaded file becomes a header and rows of text (limits, encodings).
2. ``mapping``: each column is mapped to a field of the actor profile (guessed first).
3. ``validation``: each row is cleaned against the taxonomies and countries.
4. ``duplicates``: each row is compared with the existing actors and earlier rows.
5. ``analysis``: steps 3-4 over the whole file, the default decision of each row and
   the check of the decisions an editor posts.
6. ``apply``: the decided import, written in one transaction (``create`` and ``merge``).

The admin views live in ``views`` and ``finder_views``; the hooks in ``admin_import``.
"""
