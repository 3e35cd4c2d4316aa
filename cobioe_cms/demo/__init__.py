"""Demo content and the extension's pages in a site: ``manage.py load_demo`` (the
cartography, a privacy page, the consortium's profiles and synthetic actors) and the
demo members, news and watch items of the apps that are installed.

A layer above the registry (``cobioe_cms.actors``): nothing below imports it, and it
works with core and actors alone; news, members and watch are imported only by the
commands that need them, once they know the app is installed.
"""
