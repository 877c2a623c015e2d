"""Who is asking: the client address the limiter counts and the claimant language the browser asks for.

Shared by the status page (cases/portal/views.py) and the API's status endpoint (config/api/views_status.py).
"""

from django.conf import settings

LANGUAGE_CODES = [code for code, _name in settings.CLAIMANT_LANGUAGES]


def client_ip(request) -> str:
    """The address to count: the last hop our own proxy added when PORTAL_CLIENT_IP_HEADER is set, else REMOTE_ADDR."""
    header = settings.PORTAL_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def accepted_language(request) -> str | None:
    """The first claimant language in Accept-Language (``my-MM`` counts as ``my``), else None."""
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()
        for candidate in (code, code.split("-")[0]):
            if candidate in LANGUAGE_CODES:
                return candidate
    return None
