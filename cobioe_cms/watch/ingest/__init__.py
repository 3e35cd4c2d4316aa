"""Ingestion of the economic watch's external sources (RSS/Atom feeds).

One run fetches every active source (``fetch``), reads its entries safely
(``parse``), deduplicates them (``canonical``), classifies them on the taxonomies and
links the actors they name (``classify``), and stores them with the source's health
(``run``). ``tasks.ingest_sources`` is the background task; ``manage.py
ingest_sources`` queues it (or runs it at once with ``--now``).
"""
