#!/usr/bin/env python
"""Django's command-line utility for the COBIOE reference site."""

import os
import sys
from pathlib import Path

# The Django project package lives in site/ (``site`` itself is a standard-library
# module name, so it cannot be imported as a package): put that folder on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cobioe_site.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
