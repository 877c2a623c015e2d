"""Cursor pagination for every list: opaque cursors, no COUNT, no OFFSET — page 1000 costs what page 1 costs."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    """By id, newest first (ids only grow, so the cursor points at exactly one row)."""

    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_cursor_message = _("This is not a page link of this list. Start again from the first page.")

    def decode_cursor(self, request):
        # DRF answers a bad cursor with 404; it is bad input, like any other malformed parameter.
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [str(exc.detail)]}) from exc


class CasesNewestFirst(NewestFirst):
    """Cases as the web list shows them by default: latest opened first, id as the tie-breaker."""

    ordering = ("-opened_at", "-id")
