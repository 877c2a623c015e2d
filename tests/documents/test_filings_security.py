"""Case text cannot change a filing: HTML in it prints as text, and no URL in it is ever fetched (SSRF).

The fetcher is tested on its own too, with raw (unescaped) HTML, because it is the wall behind the escaping.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cases.core.stages import Stage
from documents import filings, filings_print, filings_snapshot, pdf
from documents.models import DocumentKind, DocumentStatus
from tests.factories import ClaimantFactory

from .filings_support import calculate, needs_poppler, pdf_text, request_and_render


@pytest.fixture(autouse=True)
def filing_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def filing_http_server():
    """A tiny HTTP server on 127.0.0.1 that counts the requests it gets."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.hits = hits
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@needs_poppler
def test_html_in_case_text_prints_as_text(make_case, paralegal_a, django_capture_on_commit_callbacks):
    case = make_case(
        Stage.EVIDENCE,
        summary="The boss wrote <b>x</b> & <i>paid</i> on the slip.",
        claimant=ClaimantFactory(full_name="<script>Ana</script>"),
    )
    calculate(case, paralegal_a)

    document = request_and_render(
        django_capture_on_commit_callbacks,
        actor=paralegal_a,
        case_id=case.pk,
        kind=DocumentKind.COMPLAINT,
        language="en",
    )

    text = pdf_text(document.path.read_bytes())
    assert "The boss wrote <b>x</b> & <i>paid</i> on the slip." in text
    assert "<script>Ana</script>" in text


@pytest.mark.parametrize("kind", [DocumentKind.COMPLAINT, DocumentKind.CASE_SUMMARY, DocumentKind.DEMAND_LETTER])
def test_a_url_in_case_text_is_never_fetched(
    make_case, paralegal_a, filing_http_server, django_capture_on_commit_callbacks, kind
):
    url = filing_http_server.url
    tags = (
        f'<img src="{url}/summary.png"><link rel="stylesheet" href="{url}/style.css">'
        f'<style>@import "{url}/i.css";</style>'
    )
    case = make_case(Stage.EVIDENCE, summary=tags, job_title=f'<img src="{url}/job.png">')
    calculate(case, paralegal_a)

    document = request_and_render(
        django_capture_on_commit_callbacks,
        actor=paralegal_a,
        case_id=case.pk,
        kind=kind,
        language="en",
        respondent_id=case.case_respondents.get().respondent_id if kind == DocumentKind.DEMAND_LETTER else None,
    )

    assert document.status == DocumentStatus.READY
    assert filing_http_server.hits == []


def test_the_fetcher_refuses_every_url_in_raw_html_even_unescaped(filing_http_server, tmp_path):
    url = filing_http_server.url
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for PDFs")
    html = f"""<html><head>
      <link rel="stylesheet" href="{url}/a.css">
      <style>@import url("{url}/b.css"); body {{ background: url("{url}/c.png"); }}
             @font-face {{ font-family: X; src: url("{url}/font.woff2"); }}</style>
    </head><body>
      <img src="{url}/d.png"><img src="file://{secret}"><img src="{pdf.BASE_URL}../../pdf.py">
      <object data="{url}/e.svg"></object><embed src="{url}/f.svg"><iframe src="{url}/g.html"></iframe>
      <svg><image href="{url}/h.png" width="10" height="10"/></svg>
      <p>Text still renders.</p>
    </body></html>"""

    data = pdf.render(html)

    assert data.startswith(b"%PDF-")
    assert filing_http_server.hits == []


def test_the_fetcher_serves_the_apps_own_static_files_and_data_uris_only():
    fetcher = pdf.StaticOnlyFetcher()

    css = fetcher.fetch(pdf.BASE_URL + "filings/print.css")
    assert b"Noto Sans Myanmar" in css.read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for refused in (
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x",
        "file:///etc/passwd",
        pdf.BASE_URL + "../../pdf.py",
        pdf.BASE_URL + "%2e%2e/%2e%2e/pdf.py",
        "file://evil.example/" + pdf.STATIC_DIR.as_posix() + "/filings/print.css",
        pdf.BASE_URL + "filings/missing.css",
    ):
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(refused)


def test_the_receipt_qr_code_is_the_portal_address_alone(make_case, paralegal_a):
    case = make_case(Stage.INTAKE)
    document = filings.document_request(
        actor=paralegal_a, case_id=case.pk, kind=DocumentKind.INTAKE_RECEIPT, language="en"
    )

    html = filings_print.render_html(document)

    assert str(filings_print.qr_svg(filings_snapshot.PORTAL_URL)) in html
    assert html.count("<svg") == 1
    # The QR payload is built from the portal address only: no reference, no name, no PIN.
    assert filings_print.qr_svg(filings_snapshot.PORTAL_URL) != filings_print.qr_svg(
        f"{filings_snapshot.PORTAL_URL}?ref={case.reference}"
    )


def test_text_in_css_cannot_end_the_string_or_the_style_element():
    escaped = str(filings_print.css_string('AB-1"; } </style><script>x</script>\\'))

    assert escaped.startswith('"') and escaped.endswith('"')
    inner = escaped[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner and "}" not in inner
    assert filings_print.page_counter_css("Page %(page)s of %(pages)s") == '"Page " counter(page) " of " counter(pages)'
    assert filings_print.page_counter_css("%(pages)s मध्ये पृष्ठ %(page)s") == ('counter(pages) " मध्ये पृष्ठ " counter(page)')
