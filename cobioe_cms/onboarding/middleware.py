"""A higher form-field limit for the import's mapping and preview forms only.

Django refuses a form of more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields (1,000 by
default) with a 400, which keeps a flood of fields from costing CPU anywhere on the
site. The import's preview posts one decision per row of a page, and the mapping one
field per column, so an editor's large file can go past it. This middleware parses
those two forms itself, with IMPORT_MAX_FIELDS, before anything reads ``request.POST``
(the CSRF check runs later, in ``process_view``), and only for users allowed to import;
every other request keeps Django's limit. The forms have no file field, so browsers
post them URL-encoded; a multipart post keeps Django's limit too.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict

from .views import PERMISSION

IMPORT_MAX_FIELDS = 10_000
IMPORT_FORMS = {"cobioe_actor_import:mapping", "cobioe_actor_import:preview"}


class ImportFormFieldLimitMiddleware:
    """Goes after AuthenticationMiddleware in ``settings.MIDDLEWARE``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if _is_large_import_form(request):
            _parse_form(request, IMPORT_MAX_FIELDS)
        return self.get_response(request)


def _is_large_import_form(request: HttpRequest) -> bool:
    if request.method != "POST" or request.content_type != "application/x-www-form-urlencoded":
        return False
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return False
    return view_name in IMPORT_FORMS and request.user.has_perm(PERMISSION)


def _parse_form(request: HttpRequest, max_fields: int) -> None:
    """What ``HttpRequest._load_post_and_files`` does for a URL-encoded form (through
    ``QueryDict``), with ``max_fields`` for the limit."""
    form = QueryDict(mutable=True, encoding=request.encoding)
    body = request.body  # still bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        text = body.decode(form.encoding)
    except UnicodeDecodeError:
        text = body.decode("iso-8859-1")
    try:
        pairs = parse_qsl(
            text, keep_blank_values=True, encoding=form.encoding, max_num_fields=max_fields
        )
    except ValueError as error:
        raise TooManyFieldsSent(f"The import form has more than {max_fields} fields.") from error
    for key, value in pairs:
        form.appendlist(key, value)
    form._mutable = False
    request.POST = form
    request._files = MultiValueDict()
