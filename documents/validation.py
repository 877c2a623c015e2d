"""What an uploaded evidence file is, decided from its bytes — and whether we keep it.

Nothing here trusts the file's name or the content type the browser sent. ``sniff`` reads the first bytes;
``inspect_upload`` then checks the whole file for its type (a PDF must open in pypdf, with at least one page; an image
is opened by Pillow with its dimensions checked from the header *before* any pixel is decoded; a DOCX is read entry by
entry under size, ratio and count caps; text must decode and must not look like HTML or SVG), hashes it, and for JPEG,
PNG and WebP makes the staff copy: the pixels re-encoded without EXIF, GPS, XMP or comments. ``safe_display_name`` turns
whatever name the browser sent into one that is safe to show and to offer in a download. Refusals are
``EvidenceRejected`` with a message for staff.

No database, no storage: a file that fails here has not been written anywhere.
"""

import codecs
import hashlib
import re
import tempfile
import threading
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps
from pypdf import PdfReader

from cases.core.errors import InvalidInput

MAX_FILE_BYTES = getattr(settings, "EVIDENCE_MAX_FILE_BYTES", 20 * 1024 * 1024)
MAX_REQUEST_BYTES = getattr(settings, "EVIDENCE_MAX_REQUEST_BYTES", 60 * 1024 * 1024)
MAX_FILES = getattr(settings, "EVIDENCE_MAX_FILES", 10)
MAX_IMAGE_SIDE = getattr(settings, "EVIDENCE_MAX_IMAGE_SIDE", 12_000)
MAX_IMAGE_PIXELS = getattr(settings, "EVIDENCE_MAX_IMAGE_PIXELS", 40_000_000)
DOCX_MAX_UNCOMPRESSED_BYTES = getattr(settings, "EVIDENCE_DOCX_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
DOCX_MAX_RATIO = getattr(settings, "EVIDENCE_DOCX_MAX_RATIO", 100)
DOCX_MAX_ENTRIES = getattr(settings, "EVIDENCE_DOCX_MAX_ENTRIES", 1_000)
# Small entries compress oddly well (a few KB of repeated XML); the ratio cap applies from this size up.
DOCX_RATIO_FLOOR_BYTES = 1024 * 1024
MAX_NAME_LENGTH = 120

CHUNK = 64 * 1024
HEAD = 1024


class EvidenceRejected(InvalidInput):
    """An uploaded file (or the set of them) is refused; ``field`` is the form field the message belongs to."""

    def __init__(self, message, *, field: str = "files"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    # Pillow's format name for the raster images whose staff copy is re-encoded without metadata.
    image_format: str | None = None
    # Browsers may show it in the page (with ?inline=1); everything else is only ever an attachment.
    inline: bool = False


PDF = FileType("application/pdf", ".pdf", inline=True)
JPEG = FileType("image/jpeg", ".jpg", image_format="JPEG", inline=True)
PNG = FileType("image/png", ".png", image_format="PNG", inline=True)
WEBP = FileType("image/webp", ".webp", image_format="WEBP", inline=True)
# Detected by its ISO-BMFF brand and kept as an attachment: Pillow cannot decode it here, so no staff copy.
HEIC = FileType("image/heic", ".heic")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
TEXT_UTF8 = FileType("text/plain; charset=utf-8", ".txt")
TEXT_UTF16 = FileType("text/plain; charset=utf-16", ".txt")
CSV_UTF8 = FileType("text/csv; charset=utf-8", ".csv")
CSV_UTF16 = FileType("text/csv; charset=utf-16", ".csv")

HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis"}
HEIF_CONTAINER_BRANDS = {b"mif1", b"msf1"}
# The first bytes of archives and compressed streams: a DOCX may not carry another one inside it.
ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"7z\xbc\xaf\x27\x1c", b"Rar!", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")
ARCHIVE_SUFFIXES = (
    ".zip", ".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm", ".odt", ".ods", ".jar", ".7z", ".rar", ".gz",
    ".tgz", ".bz2", ".xz", ".cab", ".tar",
)  # fmt: skip
MARKUP_MARKERS = ("<script", "<svg", "<html", "<!doctype", "<?xml", "<body", "<iframe", "<object", "<embed")

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
INVISIBLE = frozenset("\u200b\ufeff")
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
)
UNSAFE_NAME_CHARACTERS = re.compile(r'[<>:"/\\|?*]')
SUFFIX = re.compile(r"\.([A-Za-z0-9]{1,5})$")


@dataclass
class CheckedFile:
    """An upload that passed every check, with what storage needs to keep it."""

    upload: UploadedFile
    file_type: FileType
    display_name: str
    size: int
    sha256: str
    # The staff copy of a raster image (metadata stripped), or None when staff see the original itself.
    clean_copy: IO[bytes] | None = None

    def close(self) -> None:
        if self.clean_copy is not None:
            self.clean_copy.close()


# --- Names --------------------------------------------------------------------------------------------------------


def safe_display_name(name: str, extension: str | None = None) -> str:
    """A name safe to show and to offer for download, whatever the browser sent.

    NFKC-normalised (so a full-width solidus becomes a slash, and is then treated as one); only the last path
    component is kept; ``..`` runs, control characters (NUL included), bidi overrides and isolates are removed;
    characters Windows refuses are replaced; the length is capped. With ``extension`` the name ends in it (the
    sniffed type's), replacing whatever suffix the name had.
    """
    name = unicodedata.normalize("NFKC", name or "")
    name = "".join(
        ch
        for ch in name
        if ch not in BIDI_CONTROLS and ch not in INVISIBLE and unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    )
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"\.{2,}", ".", name)
    name = UNSAFE_NAME_CHARACTERS.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    stem = name
    if extension:
        stem = SUFFIX.sub("", name).rstrip(" .")
    else:
        match = SUFFIX.search(name)
        extension = match.group(0).lower() if match else ""
        stem = name[: match.start()] if match else name
    stem = stem[: MAX_NAME_LENGTH - len(extension)].rstrip(" .") or "evidence"
    if stem.upper() in WINDOWS_RESERVED:
        stem = f"_{stem}"
    return f"{stem}{extension}"


# --- Limits -------------------------------------------------------------------------------------------------------


def check_batch(files: Sequence[UploadedFile]) -> None:
    """How many files, how large each is and all of them together: cheap checks, before any file is read."""
    if not files:
        raise EvidenceRejected(_("Choose at least one file."))
    if len(files) > MAX_FILES:
        raise EvidenceRejected(too_many_files_message(len(files)))
    for upload in files:
        name = safe_display_name(upload.name)
        if not upload.size:
            raise EvidenceRejected(_("“%(name)s” is empty.") % {"name": name})
        if upload.size > MAX_FILE_BYTES:
            raise EvidenceRejected(too_large_message(name))
    total = sum(upload.size for upload in files)
    if total > MAX_REQUEST_BYTES:
        raise EvidenceRejected(too_many_bytes_message())


def too_many_files_message(count: int) -> str:
    return _("You sent %(count)d files; at most %(max)d can be added at once.") % {"count": count, "max": MAX_FILES}


def too_large_message(name: str) -> str:
    return _("“%(name)s” is larger than %(max)s, the largest file we accept.") % {
        "name": name,
        "max": filesizeformat(MAX_FILE_BYTES),
    }


def too_many_bytes_message() -> str:
    return _(
        "Together these files are larger than %(max)s, the most we accept at once. Send them in smaller groups."
    ) % {"max": filesizeformat(MAX_REQUEST_BYTES)}


def request_too_large(content_length: int) -> bool:
    """Whether a request body is too large to parse at all (the files plus room for the form's other fields)."""
    return content_length > MAX_REQUEST_BYTES + 1024 * 1024


# --- Sniffing -----------------------------------------------------------------------------------------------------


def sniff(head: bytes) -> str | None:
    """The family of a file from its first bytes: pdf, jpeg, png, webp, heic, zip, text (to be confirmed) or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and _is_heic(head):
        return "heic"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head:
        return "text"
    return None


def _is_heic(head: bytes) -> bool:
    """HEIC by its ``ftyp`` box: a HEIC major brand, or a generic HEIF one with a HEIC compatible brand (not AVIF)."""
    box_size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in HEIC_BRANDS:
        return True
    return major in HEIF_CONTAINER_BRANDS and bool(compatible & HEIC_BRANDS)


def _read_head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    return head


def not_allowed_message(name: str) -> str:
    return _(
        "“%(name)s” is not a file type we accept. Send PDF, JPEG, PNG, WebP, HEIC, plain text or CSV, or Word (DOCX)."
    ) % {"name": name}


def check_type(upload: UploadedFile) -> str:
    """The sniffed family of ``upload`` (cheap: the first bytes only); refuses types we never accept."""
    family = sniff(_read_head(upload))
    if family is None:
        raise EvidenceRejected(not_allowed_message(safe_display_name(upload.name)))
    return family


# --- Whole-file checks ----------------------------------------------------------------------------------------------


def inspect_upload(upload: UploadedFile) -> CheckedFile:
    """Check one upload all the way through and describe it (type, safe name, size, SHA-256, staff copy)."""
    name = safe_display_name(upload.name)
    family = check_type(upload)
    if family == "pdf":
        file_type = _check_pdf(upload, name)
    elif family == "heic":
        file_type = HEIC
    elif family == "zip":
        file_type = _check_docx(upload, name)
    elif family == "text":
        file_type = _check_text(upload, name)
    else:
        file_type = {"jpeg": JPEG, "png": PNG, "webp": WEBP}[family]
    clean_copy = _clean_image(upload, file_type, name) if file_type.image_format else None
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return CheckedFile(
        upload=upload,
        file_type=file_type,
        display_name=safe_display_name(upload.name, file_type.extension),
        size=size,
        sha256=digest.hexdigest(),
        clean_copy=clean_copy,
    )


def inspect_batch(files: Sequence[UploadedFile]) -> list[CheckedFile]:
    """Every upload checked; the first refusal stops the whole batch (nothing of it is kept)."""
    check_batch(files)
    checked: list[CheckedFile] = []
    try:
        for upload in files:
            checked.append(inspect_upload(upload))
    except BaseException:
        for item in checked:
            item.close()
        raise
    return checked


def _check_text(upload: UploadedFile, name: str) -> FileType:
    """UTF-8 (BOM optional) or UTF-16 with a BOM; no NUL; nothing a browser could take for HTML, SVG or XML."""
    head = _read_head(upload)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, types = "utf-16", (TEXT_UTF16, CSV_UTF16)
    else:
        encoding, types = "utf-8-sig", (TEXT_UTF8, CSV_UTF8)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    start = ""
    try:
        for chunk in upload.chunks(CHUNK):
            text = decoder.decode(chunk)
            if "\x00" in text:
                raise EvidenceRejected(not_allowed_message(name))
            if len(start) < HEAD:
                start += text[: HEAD - len(start)]
        if "\x00" in decoder.decode(b"", final=True):
            raise EvidenceRejected(not_allowed_message(name))
    except UnicodeDecodeError as exc:
        raise EvidenceRejected(
            _("“%(name)s” is not a file type we accept: text must be UTF-8 or UTF-16 (with a byte order mark).")
            % {"name": name}
        ) from exc
    finally:
        upload.seek(0)
    lowered = start.lstrip("\ufeff \t\r\n\f\v").lower()
    if lowered.startswith("<") or any(marker in lowered for marker in MARKUP_MARKERS):
        raise EvidenceRejected(
            _("“%(name)s” looks like a web page or drawing (HTML, SVG or XML); those are not accepted as evidence.")
            % {"name": name}
        )
    # The name may only choose between two equally harmless text types.
    return types[1] if (upload.name or "").lower().endswith(".csv") else types[0]


def _check_docx(upload: UploadedFile, name: str) -> FileType:
    """A Word document, and not a zip bomb: entries, declared and actual sizes, ratio capped; no archive inside."""
    bomb = _("“%(name)s” unpacks to far more than its size (a “zip bomb”) and is refused.") % {"name": name}
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > DOCX_MAX_ENTRIES:
                raise EvidenceRejected(
                    _("“%(name)s” holds %(count)d parts; a Word document may have at most %(max)d.")
                    % {"name": name, "count": len(entries), "max": DOCX_MAX_ENTRIES}
                )
            names = [entry.filename for entry in entries]
            if len(set(names)) != len(names) or not {"[Content_Types].xml", "word/document.xml"} <= set(names):
                raise EvidenceRejected(not_allowed_message(name))
            if sum(entry.file_size for entry in entries) > DOCX_MAX_UNCOMPRESSED_BYTES:
                raise EvidenceRejected(bomb)
            for entry in entries:
                if entry.flag_bits & 0x1:
                    raise EvidenceRejected(
                        _("“%(name)s” is password-protected; remove the password and send it again.") % {"name": name}
                    )
                if entry.file_size > DOCX_RATIO_FLOOR_BYTES and (
                    entry.compress_size == 0 or entry.file_size / entry.compress_size > DOCX_MAX_RATIO
                ):
                    raise EvidenceRejected(bomb)
                if entry.filename.lower().endswith(ARCHIVE_SUFFIXES) or entry.filename.lower().endswith(
                    "vbaproject.bin"
                ):
                    raise EvidenceRejected(_nested_message(name))
            # The sizes above are what the archive claims; reading every entry checks them (and each CRC).
            total = 0
            for entry in entries:
                with archive.open(entry) as member:
                    first = True
                    while chunk := member.read(CHUNK):
                        if first and chunk.startswith(ARCHIVE_MAGIC):
                            raise EvidenceRejected(_nested_message(name))
                        first = False
                        total += len(chunk)
                        if total > DOCX_MAX_UNCOMPRESSED_BYTES:
                            raise EvidenceRejected(bomb)
    except EvidenceRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError,
            EOFError, OSError) as exc:  # fmt: skip
        raise EvidenceRejected(_damaged_message(name)) from exc
    finally:
        upload.seek(0)
    return DOCX


def _check_pdf(upload: UploadedFile, name: str) -> FileType:
    """A PDF is what a real parser (pypdf) opens: its cross-reference table, its catalogue and at least one page.

    ``%PDF-`` followed by HTML, a NUL byte or half a file is refused as damaged. A PDF locked by an owner password
    only (common on bank statements) opens with the empty user password and is accepted; one that needs a password
    to open is refused, since nobody could read it here.
    """
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(upload, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise EvidenceRejected(_password_message(name))
            if len(reader.pages) < 1:
                raise EvidenceRejected(_damaged_pdf_message(name))
            reader.pages[0].mediabox  # noqa: B018 — the first page's dictionary must resolve
    except EvidenceRejected:
        raise
    except Exception as exc:  # pypdf raises many kinds (PdfReadError, KeyError, RecursionError…): all mean damaged
        raise EvidenceRejected(_damaged_pdf_message(name)) from exc
    finally:
        upload.seek(0)
    return PDF


def _damaged_pdf_message(name: str) -> str:
    return _("“%(name)s” is damaged: it does not open as a PDF. Save or scan it again and send the new copy.") % {
        "name": name
    }


def _password_message(name: str) -> str:
    return _("“%(name)s” needs a password to open. Save a copy without the password and send that.") % {"name": name}


def _nested_message(name: str) -> str:
    return _(
        "“%(name)s” has another archive or a macro inside it, which we do not accept. Save it as PDF and send that."
    ) % {"name": name}


def _damaged_message(name: str) -> str:
    return _("“%(name)s” is damaged or incomplete and cannot be opened. Send the file again.") % {"name": name}


_strict_decoding_lock = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Truncated images are errors while we check one.

    WeasyPrint sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES`` when imported (``weasyprint/images.py``),
    after which a half-uploaded JPEG would decode with grey filling in for the missing part. The flag is a module
    global, so it is turned off for the duration of our check (one check at a time) and then put back.
    """
    with _strict_decoding_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _clean_image(upload: UploadedFile, file_type: FileType, name: str) -> IO[bytes]:
    """Check a raster image's size from its header, verify it, then re-encode its pixels without any metadata.

    Pillow reads only the header on open, so the dimension caps run before any pixel is decoded; Pillow's own
    decompression-bomb guard (``Image.MAX_IMAGE_PIXELS``) is an error here, not a warning. Orientation is applied
    to the pixels (the tag saying how to rotate goes with the rest of EXIF). Only the colour profile and PNG
    transparency survive; animated images keep their first frame (the original keeps everything).
    """
    bomb = _("“%(name)s” is too large an image: at most %(side)s pixels on a side and %(megapixels)d megapixels.") % {
        "name": name,
        "side": f"{MAX_IMAGE_SIDE:,}",
        "megapixels": MAX_IMAGE_PIXELS // 1_000_000,
    }
    formats = [file_type.image_format]
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=formats) as image:
                _check_dimensions(image.size, bomb)
                image.verify()
            upload.seek(0)
            with Image.open(upload, formats=formats) as image:
                _check_dimensions(image.size, bomb)
                upright = ImageOps.exif_transpose(image)
                kept = {key: image.info[key] for key in ("icc_profile", "transparency") if key in image.info}
                clean = upright.copy()
                clean.info = kept
                copy = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned open)
                try:
                    clean.save(copy, format=file_type.image_format, **_encoder_options(file_type, kept))
                except BaseException:
                    copy.close()
                    raise
    except EvidenceRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise EvidenceRejected(bomb) from exc
    except Exception as exc:  # Pillow raises many kinds of error on malformed input; each means "damaged"
        raise EvidenceRejected(_damaged_message(name)) from exc
    finally:
        upload.seek(0)
    copy.seek(0)
    return copy


def _check_dimensions(size: tuple[int, int], message: str) -> None:
    width, height = size
    if width <= 0 or height <= 0 or max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise EvidenceRejected(message)


def _encoder_options(file_type: FileType, kept: dict) -> dict:
    options: dict = {key: value for key, value in kept.items() if key == "icc_profile"}
    if file_type is JPEG:
        options["quality"] = 92
    elif file_type is WEBP:
        options["quality"] = 90
    elif file_type is PNG and "transparency" in kept:
        options["transparency"] = kept["transparency"]
    return options
