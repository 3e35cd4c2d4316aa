"""Organisations that are probably the same one, found once for the whole platform.

- ``finder``: the one duplicate finder (names compared without legal forms, case,
  accents or punctuation, "&" as "and", near-spellings; website and place), used by
  imports (each row against the actors and the file's earlier rows), by the admin's
  duplicate finder (actors against each other) and by the suggestions a member sees
  while creating an organisation.
- ``profiles``: the actors as the finder sees them (every profile; the live profiles'
  index kept per process for the suggestions: :func:`profiles.similar_live_actors`).
- ``merge``: merging one profile (or an import row) into another without overwriting.
"""
