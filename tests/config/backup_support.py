"""Helpers for the backup tests: run the commands as an operator does, and read the site's state independently of
the code under test (row counts from the catalog, file hashes from the disk, decrypted values through the ORM)."""

import hashlib
import io
import shutil
from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from PIL import Image

from cases.core.stages import Stage
from claimants.models import ChannelKind, Claimant, ContactChannel
from documents import filings
from documents.evidence import evidence_upload
from documents.models import DocumentKind, DocumentStatus, EvidenceFile
from tests.pdf_samples import real_pdf


def run_backup(*args: str) -> tuple[Path, str]:
    """``manage.py backup``; the new backup's directory (the output's last line) and the whole output."""
    out = io.StringIO()
    call_command("backup", *args, stdout=out)
    return Path(out.getvalue().strip().splitlines()[-1]), out.getvalue()


def run_restore(path: Path, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("restore", str(path), *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def table_counts() -> dict[str, int]:
    """Rows in every table of the database, counted here (not by the code under test)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def file_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def decrypted_values() -> dict[str, list]:
    """What only the keys can read, as the ORM reads it: every worker's encrypted and contact fields, every channel."""
    claimants = [
        (c.pk, c.full_name, c.id_document_number, c.home_country_address, c.alternate_contact_phone)
        for c in Claimant.objects.order_by("pk")
    ]
    channels = [(ch.pk, ch.claimant_id, ch.kind, ch.value) for ch in ContactChannel.objects.order_by("pk")]
    return {"claimants": claimants, "channels": channels}


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def seed(make_case, actor) -> None:
    """Cases with workers whose fields are encrypted, contact channels, evidence (a PDF, a photo and its clean copy)
    and a rendered filing, all written through the services (the filing renders after commit, Celery eager)."""
    for number, stage in enumerate([Stage.EVIDENCE, Stage.EVIDENCE, Stage.INTAKE]):
        case = make_case(stage)
        claimant = case.claimant
        claimant.home_country_address = f"Village {number}, Osh region"
        claimant.alternate_contact_phone = f"+99655500{number:04d}"
        claimant.save(update_fields=["home_country_address", "alternate_contact_phone"])
        ContactChannel.objects.create(claimant=claimant, kind=ChannelKind.PHONE, value=f"+6012345{number:04d}")
        ContactChannel.objects.create(claimant=claimant, kind=ChannelKind.WHATSAPP, value=f"+99670000{number:04d}")
        if stage != Stage.EVIDENCE:
            continue
        evidence_upload(
            actor=actor,
            case_id=case.pk,
            files=[SimpleUploadedFile("payslip.pdf", real_pdf(number + 1)), SimpleUploadedFile("room.jpg", photo())],
            kind="payslip",
            document_date=None,
            description="",
            provided_by="worker",
            received_on=date(2025, 3, 1),
        )
    document = filings.document_request(actor=actor, case_id=case.pk, kind=DocumentKind.INTAKE_RECEIPT, language="en")
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert EvidenceFile.objects.count() == 4


def drop_everything(storage: Path) -> None:
    """What a lost server leaves: no tables at all, and no private files."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
    shutil.rmtree(storage)
    assert table_counts() == {}
