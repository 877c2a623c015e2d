"""What a file is, from its bytes: sniffing, text and DOCX rules, image caps and metadata stripping, safe names."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile

from documents import validation
from documents.validation import EvidenceRejected, inspect_upload, safe_display_name


def inspect(name: str, content: bytes):
    return inspect_upload(SimpleUploadedFile(name, content))


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(EvidenceRejected) as caught:
        inspect(name, content)
    return str(caught.value.message)


# --- Names ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "extension", "expected"),
    [
        ("payslip.pdf", ".pdf", "payslip.pdf"),
        ("../../etc/passwd", ".txt", "passwd.txt"),
        ("..\\..\\windows\\system32\\evil.pdf", ".pdf", "evil.pdf"),
        ("..／..／etc／passwd.pdf", ".pdf", "passwd.pdf"),  # full-width solidus, a slash after NFKC
        ("..", ".pdf", "evidence.pdf"),
        ("pay\x00slip.pdf", ".pdf", "payslip.pdf"),
        ("invoice\u202egpj.exe", ".pdf", "invoicegpj.pdf"),  # right-to-left override: "invoiceexe.jpg" on screen
        ("a\u2066b\u2069c\u200f.pdf", ".pdf", "abc.pdf"),
        ("photo.png", ".jpg", "photo.jpg"),  # the sniffed type decides the extension
        ("contract", ".docx", "contract.docx"),
        ("report..final.pdf", ".pdf", "report.final.pdf"),
        ('a<b>c:"d|e?f*.pdf', ".pdf", "a_b_c__d_e_f_.pdf"),
        ("CON.pdf", ".pdf", "_CON.pdf"),
        ("  spaced   out  .pdf ", ".pdf", "spaced out.pdf"),
        ("ｆｕｌｌｗｉｄｔｈ.pdf", ".pdf", "fullwidth.pdf"),
        ("स्लिप ည ظ.pdf", ".pdf", "स्लिप ည ظ.pdf"),
        ("", ".pdf", "evidence.pdf"),
    ],
)
def test_names_are_reduced_to_a_safe_display_name(given, extension, expected):
    assert safe_display_name(given, extension) == expected


def test_long_names_are_cut_and_keep_their_extension():
    name = safe_display_name("x" * 500 + ".pdf", ".pdf")
    assert len(name) == validation.MAX_NAME_LENGTH and name.endswith("xx.pdf")


# --- Sniffing: the name and the browser's content type count for nothing ---------------------------------------------


def test_each_accepted_type_is_recognised_by_its_bytes_whatever_its_name(evidence_samples):
    samples = {
        "application/pdf": evidence_samples.pdf(),
        "image/jpeg": evidence_samples.jpeg_with_gps(),
        "image/png": evidence_samples.image("PNG"),
        "image/webp": evidence_samples.image("WEBP"),
        "image/heic": evidence_samples.heic(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": evidence_samples.docx(),
        "text/plain; charset=utf-8": b"Worked 14 hours\n",
    }
    for content_type, content in samples.items():
        checked = inspect("misleading.exe", content)
        assert checked.file_type.content_type == content_type
        assert checked.display_name == "misleading" + checked.file_type.extension


def test_a_csv_stays_csv_and_utf16_with_a_bom_is_text(evidence_samples):
    assert inspect("hours.csv", evidence_samples.csv()).file_type.content_type == "text/csv; charset=utf-8"
    utf16 = inspect("hours.txt", "date,hours\n".encode("utf-16"))
    assert utf16.file_type.content_type == "text/plain; charset=utf-16"


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",  # a Windows program
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00",  # an image type we do not take
        b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00mif1avif",  # AVIF, a HEIF brand that is not HEIC
        "Lohn für März\n".encode("latin-1"),  # not UTF-8
        b"hours\x00 12\n",  # NUL in text
        "hours 12\x00\n".encode("utf-16"),
    ],
)
def test_anything_else_is_refused(content):
    assert "not a file type we accept" in refusal("payslip.pdf", content)


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><script>alert(1)</script></body></html>",
        b'\n   <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?><svg/>',
        b"Looks like a note\n<script>fetch('/cases/')</script>",
        "\ufeff<!DOCTYPE html>".encode(),
        "<html>".encode("utf-16"),
    ],
)
def test_html_svg_and_xml_are_refused_even_as_text(content):
    assert "looks like a web page" in refusal("photo.png", content)


# --- DOCX --------------------------------------------------------------------------------------------------------


def test_a_zip_that_is_not_a_word_document_is_refused(evidence_samples):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "not a file type we accept" in refusal("contract.docx", buffer.getvalue())


def test_a_zip_bomb_is_refused_by_its_ratio(evidence_samples):
    assert "zip bomb" in refusal("contract.docx", evidence_samples.zip_bomb_docx())


def test_a_zip_bomb_of_many_small_parts_is_refused_by_its_total(evidence_samples, monkeypatch):
    monkeypatch.setattr(validation, "DOCX_MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    parts = {f"word/media/part{i}.xml": b"\x00" * 200_000 for i in range(8)}
    assert "zip bomb" in refusal("contract.docx", evidence_samples.docx(parts))


def test_sizes_a_zip_lies_about_are_caught_when_reading(evidence_samples):
    content = bytearray(evidence_samples.docx({"word/media/a.xml": b"A" * 5000}))
    # Damage the compressed data of the last part: the header sizes still look harmless, the CRC does not match.
    offset = content.index(b"word/media/a.xml") + len("word/media/a.xml") + 2
    content[offset : offset + 4] = b"\xff\xff\xff\xff"
    assert "damaged" in refusal("contract.docx", bytes(content))


def test_a_docx_with_too_many_parts_is_refused(evidence_samples, monkeypatch):
    monkeypatch.setattr(validation, "DOCX_MAX_ENTRIES", 5)
    parts = {f"word/media/p{i}.xml": b"<p/>" for i in range(5)}
    assert "at most 5" in refusal("contract.docx", evidence_samples.docx(parts))


@pytest.mark.parametrize(
    "parts",
    [
        {"word/embeddings/sheet.xlsx": b"PK\x03\x04rest"},
        {"word/media/inner.bin": b"PK\x03\x04" + b"x" * 100},
        {"word/media/inner.dat": b"\x1f\x8b\x08\x00" + b"x" * 100},
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"},
    ],
)
def test_a_docx_carrying_another_archive_or_macros_is_refused(evidence_samples, parts):
    assert "another archive or a macro" in refusal("contract.docx", evidence_samples.docx(parts))


# --- Images -------------------------------------------------------------------------------------------------------


def test_a_20000_by_20000_png_is_refused_before_it_is_decoded(evidence_samples):
    content = evidence_samples.png_declaring(20_000, 20_000)
    assert len(content) < 200
    assert "too large an image" in refusal("scan.png", content)


@pytest.mark.parametrize(("width", "height"), [(13_000, 10), (7_000, 7_000)])
def test_images_over_our_own_side_and_pixel_caps_are_refused(evidence_samples, width, height):
    # Both are under Pillow's own bomb limit (89 megapixels): our caps are what refuse them.
    assert "too large an image" in refusal("scan.png", evidence_samples.png_declaring(width, height))


@pytest.mark.parametrize("lenient_elsewhere", [False, True])
def test_a_truncated_image_is_refused_as_damaged(evidence_samples, monkeypatch, lenient_elsewhere):
    # WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient_elsewhere)
    content = evidence_samples.image("JPEG", size=(200, 200), quality=95)

    assert "damaged" in refusal("photo.jpg", content[: len(content) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is lenient_elsewhere  # put back as it was


def test_the_staff_copy_of_a_photo_has_no_exif_gps_or_comment_and_is_upright(evidence_samples):
    original = evidence_samples.jpeg_with_gps(size=(64, 48))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    checked = inspect("photo.jpg", original)

    copy = Image.open(checked.clean_copy)
    assert copy.format == "JPEG"
    assert dict(copy.getexif()) == {} and copy.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert "comment" not in copy.info and "exif" not in copy.info
    assert copy.size == (48, 64)  # EXIF orientation 6 applied to the pixels before the tag went


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_png_and_webp_copies_lose_their_metadata_too(evidence_samples, image_format):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    options = {"exif": exif}
    if image_format == "PNG":
        from PIL.PngImagePlugin import PngInfo

        text = PngInfo()
        text.add_text("Location", "Block C, room 4")
        options["pnginfo"] = text
    checked = inspect("shot.img", evidence_samples.image(image_format, **options))

    copy = Image.open(checked.clean_copy)
    assert copy.format == image_format and dict(copy.getexif()) == {}
    assert not {"exif", "Location", "xmp"} & set(copy.info)


def test_heic_is_kept_as_an_attachment_without_a_staff_copy(evidence_samples):
    checked = inspect("IMG_0001.HEIC", evidence_samples.heic())
    assert checked.file_type.content_type == "image/heic" and checked.clean_copy is None
    assert checked.display_name == "IMG_0001.heic" and not checked.file_type.inline


# --- Limits -------------------------------------------------------------------------------------------------------


def test_batch_limits_count_each_file_and_all_of_them(monkeypatch):
    monkeypatch.setattr(validation, "MAX_FILE_BYTES", 10)
    monkeypatch.setattr(validation, "MAX_REQUEST_BYTES", 15)
    with pytest.raises(EvidenceRejected, match="is empty"):
        validation.check_batch([SimpleUploadedFile("a.txt", b"")])
    with pytest.raises(EvidenceRejected, match="larger than 10"):
        validation.check_batch([SimpleUploadedFile("a.txt", b"x" * 11)])
    with pytest.raises(EvidenceRejected, match="Together these files"):
        validation.check_batch([SimpleUploadedFile("a.txt", b"x" * 8), SimpleUploadedFile("b.txt", b"x" * 8)])
    with pytest.raises(EvidenceRejected, match="at most 10 can be added"):
        validation.check_batch([SimpleUploadedFile(f"{i}.txt", b"x") for i in range(11)])


def test_the_hash_is_the_sha256_of_the_bytes_as_uploaded(evidence_samples):
    import hashlib

    content = evidence_samples.jpeg_with_gps()
    assert inspect("a.jpg", content).sha256 == hashlib.sha256(content).hexdigest()
    assert inspect("b.jpeg", content).sha256 == hashlib.sha256(content).hexdigest()
