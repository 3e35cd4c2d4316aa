"""Signals of the actor registry, for the apps above it (design.md §3: apps meet through
signals rather than importing each other's internals).

Both are sent inside the transaction that makes the change, so a receiver's own
writes (moving a representative to the kept profile, say) commit or roll back with it.
Receivers that send e-mail should do so in ``transaction.on_commit``.
"""

from django.dispatch import Signal

# sender=ActorImport; actors: the ActorPages an import created (their contact e-mail,
# if any, is someone who may be invited to claim the profile); merged: the existing
# ActorPages that received data; user: the editor; record: the ActorImport.
actors_imported = Signal()

# sender=ActorPage; kept: the profile that stays; removed: the profile merged into it
# (now unpublished, ``merged_into=kept``, its URL redirecting); user: the editor.
actors_merged = Signal()

# sender=ActorPage; kept, removed: two profiles an editor is about to merge. Receivers
# change nothing and return a list of sentences saying what the merge will do to their
# own records (representatives, say); the confirmation page shows them.
actors_merge_preview = Signal()
