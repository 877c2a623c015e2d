"""Every file Redress hands out leaves the same way: an attachment (unless a safe type is asked for inline), with
its declared type only (nosniff), never cached (no-store), never run (CSP sandbox), never embedded by other sites.

Used by evidence and filing downloads (web and API), statistics CSV files and the statistics PDF report.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def content_disposition(name: str, *, inline: bool = False) -> str:
    """RFC 6266 / RFC 5987: an ASCII fallback ``filename`` and the exact name as UTF-8 in ``filename*``."""
    encoded = content_disposition_header(not inline, name)
    if "filename*=" not in encoded:
        return encoded
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in name)
    disposition, _separator, extended = encoded.partition("; ")
    return f'{disposition}; filename="{fallback}"; {extended}'


def protect(response: HttpResponse) -> HttpResponse:
    """The headers every download carries."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def attachment(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """``data`` as a download named ``filename``."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["Content-Length"] = str(len(data))
    return protect(response)
