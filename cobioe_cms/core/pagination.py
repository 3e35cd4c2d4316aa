"""Paging of public listings, shared by the cartography and the news."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def parse_page_number(raw: str, num_pages: int) -> tuple[int, str | None]:
    """A usable page number, and a message when the requested one was not usable."""
    if not raw:
        return 1, None
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1, _("“%(value)s” is not a page number; showing page 1.") % {"value": raw[:20]}
    if number < 1:
        return 1, _("Page numbers start at 1; showing page 1.")
    if number > num_pages:
        message = ngettext(
            "There is only %(n)d page; showing it.",
            "There are only %(n)d pages; showing the last one.",
            num_pages,
        )
        return num_pages, message % {"n": num_pages}
    return number, None
