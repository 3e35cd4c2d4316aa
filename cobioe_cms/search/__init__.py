"""The search cluster (layer 0): client, index lifecycle and health.

Content apps declare their documents and register them here (see ``registry``); this
package imports no domain app, so it can sit below all of them (design.md §3).
"""
