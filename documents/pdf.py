"""HTML to PDF with WeasyPrint — the only module that imports it (an import-linter contract keeps it so).

WeasyPrint fetches whatever the HTML points at: images, stylesheets, fonts, attachments. Case text is escaped by
the templates, but the fetcher is the wall behind that: it serves ``file:`` URLs inside this app's
``static/documents/`` folder and ``data:`` URIs, and refuses everything else without opening a connection — so a
filing can never be made to request ``http://127.0.0.1:…`` or read ``/etc/passwd`` (server-side request forgery).
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

# WeasyPrint logs every step at INFO (from its import on, which parses its own stylesheets); logs need only warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

STATIC_DIR = (Path(__file__).resolve().parent / "static" / "documents").resolve()
# Relative URLs in the print templates ("filings/print.css") resolve inside STATIC_DIR.
BASE_URL = STATIC_DIR.as_uri() + "/"


class RefusedURL(ValueError):
    """A URL the PDF renderer may not fetch. The message names the scheme only: URLs can carry case text."""


class StaticOnlyFetcher(URLFetcher):
    """Fetches this app's own static files and ``data:`` URIs; refuses every other URL."""

    def __init__(self):
        # Only the data: handler of the parent is ever used; http(s), ftp and file never reach urllib.
        super().__init__(allowed_protocols=["data"], allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = static_path(url)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": content_type})
        raise RefusedURL(f"refused to fetch a {scheme or 'relative'} URL")


def static_path(url: str) -> Path | None:
    """The file a ``file:`` URL names if it is inside STATIC_DIR (after resolving ``..`` and links), else None."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        return None
    return path


class PDF(bytes):
    """A rendered PDF's bytes, with the number of pages WeasyPrint laid out."""

    pages: int = 0


def render(html: str, base_url: str = BASE_URL) -> PDF:
    """``html`` as a PDF. Resources resolve against ``base_url`` and go through ``StaticOnlyFetcher``."""
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher()).render()
    pdf = PDF(document.write_pdf())
    pdf.pages = len(document.pages)
    return pdf
