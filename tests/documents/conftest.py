"""Documents fixtures. Evidence locker: a private storage root per test, a case in the evidence stage, sample files
(good ones, and the bad ones of issue 5 built byte by byte), and a way to post a multipart body with a raw file name."""

import io
import struct
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from cases.core.stages import Stage
from documents.evidence import evidence_upload
from tests.pdf_samples import real_pdf

EVIDENCE_DAY = date(2025, 3, 1)


class EvidenceStore:
    """The private evidence directory of one test."""

    def __init__(self, path: Path):
        self.path = path

    def files(self) -> list[Path]:
        return sorted(p for p in self.path.rglob("*") if p.is_file()) if self.path.exists() else []

    def read(self, name: str) -> bytes:
        return (self.path / name).read_bytes()


@pytest.fixture
def evidence_store(settings, tmp_path) -> EvidenceStore:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return EvidenceStore(tmp_path / "private" / "evidence")


@pytest.fixture
def evidence_case(make_case):
    return make_case(Stage.EVIDENCE)


@pytest.fixture
def evidence_client(client, paralegal_a):
    client.force_login(paralegal_a)
    return client


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class EvidenceSamples:
    """Files for uploads: each returns bytes; ``upload`` wraps bytes with a name as Django's UploadedFile."""

    @staticmethod
    def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type=content_type)

    @staticmethod
    def pdf(pages: int = 1) -> bytes:
        """A real PDF (it must open in pypdf to be accepted)."""
        return real_pdf(pages)

    @staticmethod
    def jpeg_with_gps(size=(64, 48)) -> bytes:
        """A photo as a phone takes it: camera make, orientation and GPS position in EXIF, and a comment."""
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "PhoneCo"
        exif[ExifTags.Base.Orientation] = 6
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps[ExifTags.GPS.GPSLatitude] = (3.0, 8.0, 20.5)
        gps[ExifTags.GPS.GPSLongitudeRef] = "E"
        gps[ExifTags.GPS.GPSLongitude] = (101.0, 41.0, 10.0)
        buffer = io.BytesIO()
        Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", exif=exif, comment=b"dormitory block C")
        return buffer.getvalue()

    @staticmethod
    def image(image_format: str, size=(40, 30), **options) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", size, (20, 120, 40)).save(buffer, image_format, **options)
        return buffer.getvalue()

    @staticmethod
    def png_declaring(width: int, height: int) -> bytes:
        """A tiny PNG whose header claims ``width`` × ``height`` (a decompression bomb's calling card)."""
        header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
        pixels = zlib.compress(b"\x00" * 4096, 9)
        return (
            b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")
        )

    @staticmethod
    def csv() -> bytes:
        return "date,hours,note\n2025-01-06,12,Ngày làm việc\n2025-01-07,14,ओभरटाइम\n".encode()

    @staticmethod
    def docx(extra: dict[str, bytes] | None = None, *, level: int = 6) -> bytes:
        parts = {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/content-types"/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document><w:body><w:p>Contract</w:p></w:body></w:document>',
            **(extra or {}),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return buffer.getvalue()

    @classmethod
    def zip_bomb_docx(cls) -> bytes:
        """A DOCX whose document part inflates 16 MB of zeros from a few KB."""
        return cls.docx({"word/media/padding.xml": b"\x00" * (16 * 1024 * 1024)}, level=9)

    @staticmethod
    def heic() -> bytes:
        return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x00\x08mdat" + b"\x01" * 64


@pytest.fixture
def evidence_samples() -> type[EvidenceSamples]:
    return EvidenceSamples


@pytest.fixture
def evidence_form():
    """The upload form's fields other than the files, with ``changes``."""

    def build(**changes) -> dict:
        data = {
            "kind": "payslip",
            "provided_by": "worker",
            "received_on": EVIDENCE_DAY.isoformat(),
            "document_date": "",
            "description": "",
            "next": "case",
        }
        return {**data, **changes}

    return build


@pytest.fixture
def evidence_add(evidence_store, paralegal_a):
    """Add files to a case through the service: ``evidence_add(case, ("a.pdf", bytes), ...)``."""

    def add(case, *files, actor=None, **details):
        values = {
            "kind": "payslip",
            "document_date": None,
            "description": "",
            "provided_by": "worker",
            "received_on": EVIDENCE_DAY,
            **details,
        }
        uploads = [SimpleUploadedFile(name, content) for name, content in files]
        return evidence_upload(actor=actor or paralegal_a, case_id=case.pk, files=uploads, **values)

    return add


@pytest.fixture
def evidence_raw_post():
    """POST a multipart body built by hand, so a file name reaches Django exactly as given (bytes)."""

    def post(client, url: str, fields: dict, files: list[tuple[bytes, bytes]]):
        boundary = b"----evidence-boundary-7MA4YWxkTrZu0gW"
        body = io.BytesIO()
        for key, value in fields.items():
            body.write(b"--" + boundary + b"\r\n")
            body.write(b'Content-Disposition: form-data; name="%s"\r\n\r\n' % key.encode())
            body.write(str(value).encode() + b"\r\n")
        for name, content in files:
            body.write(b"--" + boundary + b"\r\n")
            body.write(b'Content-Disposition: form-data; name="files"; filename="' + name + b'"\r\n')
            body.write(b"Content-Type: application/octet-stream\r\n\r\n")
            body.write(content + b"\r\n")
        body.write(b"--" + boundary + b"--\r\n")
        return client.generic(
            "POST", url, body.getvalue(), content_type=f"multipart/form-data; boundary={boundary.decode()}"
        )

    return post
