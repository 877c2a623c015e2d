"""CSV files of the dashboard's tables: UTF-8 with a BOM (Excel reads it), the small-number rule applied, and no
cell that a spreadsheet would run as a formula."""

import csv
import io
import re
import zipfile

from cases.statistics.tables import TEXT, Table, display

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text: a cell starting like a formula gets a leading apostrophe.

    Numbers we wrote ourselves (``-12.50``) are left as numbers.
    """
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def table_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(str(header)) for header in table.headers])
    for row in table.rows:
        writer.writerow(
            [
                safe_cell(display(cell, protect=True, for_csv=True))
                if cell.kind != TEXT
                else safe_cell(str(cell.value))
                for cell in row
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def tables_zip(tables: list[Table], prefix: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            archive.writestr(f"{prefix}-{table.name}.csv", table_csv(table))
    return buffer.getvalue()
