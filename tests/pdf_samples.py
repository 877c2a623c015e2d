"""Real PDFs for tests: uploads must open in pypdf (documents.validation), so no hand-written ``%PDF-`` stubs."""

import io
from functools import cache

from pypdf import PdfWriter


@cache
def real_pdf(pages: int = 1) -> bytes:
    """A valid PDF of ``pages`` blank A4 pages, as pypdf writes it (the same bytes on every call)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = real_pdf()
