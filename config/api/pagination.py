"""Cursor pagination for every list: opaque cursors, no COUNT, no OFFSET — page 1000 costs what page 1 costs."""

from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    """By id, newest first (ids only grow, so the cursor points at exactly one row)."""

    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


class CasesNewestFirst(NewestFirst):
    """Cases as the web list shows them by default: latest opened first, id as the tie-breaker."""

    ordering = ("-opened_at", "-id")
