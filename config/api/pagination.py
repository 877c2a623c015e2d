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
    invalid_page_size_message = _("Give a whole number from 1 to %(max)d.")

    def get_page_size(self, request):
        # DRF ignores a page_size that is not a positive integer; the schema says integer, so it is a 400 here.
        # Above the maximum it is still the maximum (a client asking for "as many as you give" is not wrong).
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise ValidationError(
                {self.page_size_query_param: [self.invalid_page_size_message % {"max": self.max_page_size}]}
            )
        return min(int(value), self.max_page_size)

    def decode_cursor(self, request):
        # DRF answers a bad cursor with 404; it is bad input, like any other malformed parameter.
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [str(exc.detail)]}) from exc


class CasesNewestFirst(NewestFirst):
    """Cases as the web list shows them by default: latest opened first, id as the tie-breaker."""

    ordering = ("-opened_at", "-id")
