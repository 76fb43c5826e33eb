"""Reading a file an officer uploads on My areas into area codes, or saying by name why not.

Why: an upload used to be decoded as text whatever it was, so an Excel workbook gave no codes
and no message, and English or Welsh codes vanished (issue 14). Each kind of file is read by
its name: CSV/TXT (text), GeoJSON/JSON, or XLSX (every cell of every sheet, after checking
that the workbook does not unpack to more than ``MAX_XLSX_UNPACKED`` bytes: a 14 MB "zip
bomb" can hold gigabytes of sheet). Anything else is refused by name. Codes of England,
Wales or Northern Ireland are reported, never dropped.
"""

from __future__ import annotations

import base64
import binascii
import io
import zipfile

from dashboard.data.user_store import codes_from_geojson, codes_from_text, foreign_codes

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
GEOJSON_SUFFIXES = (".geojson", ".json")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ACCEPTED = "CSV or TXT (codes or postcodes), GeoJSON, or an Excel workbook (.xlsx)"
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
MAX_XLSX_CELLS = 500_000


class UploadError(ValueError):
    """An uploaded file cannot be read; the message names the file and says what to do."""


def decode_upload(contents: str, filename: str, max_bytes: int) -> bytes:
    """The bytes of a ``dcc.Upload`` payload (``data:<type>;base64,<data>``), at most ``max_bytes``."""
    header, comma, payload = contents.partition(",")
    if not comma or ";base64" not in header:
        raise UploadError(f"'{filename}' did not arrive as a file upload: choose the file again")
    if len(payload) > (max_bytes * 4) // 3 + 4:
        raise UploadError(f"'{filename}' is larger than {max_bytes // (1024 * 1024)} MB: split it, or paste the codes")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise UploadError(f"'{filename}' arrived damaged: choose the file again") from None


def _xlsx_text(raw: bytes, filename: str) -> str:
    """Every cell of every sheet of an XLSX workbook, as text, one cell per line."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UploadError(f"'{filename}' is not an Excel workbook (.xlsx): save it from Excel as .xlsx or CSV") \
            from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise UploadError(f"'{filename}' unpacks to {unpacked / 1e6:,.0f} MB, more than cpop reads "
                          f"({MAX_XLSX_UNPACKED // (1024 * 1024)} MB): save just the codes as CSV")
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise UploadError(f"'{filename}' could not be read as an Excel workbook ({type(exc).__name__}): "
                          "save it again as .xlsx or CSV") from None
    cells: list[str] = []
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells.extend(str(v) for v in row if isinstance(v, str))
                if len(cells) > MAX_XLSX_CELLS:
                    raise UploadError(f"'{filename}' has more than {MAX_XLSX_CELLS:,} text cells: save just the "
                                      "codes as CSV")
    finally:
        workbook.close()
    return "\n".join(cells)


def refuse_foreign_codes(text: str, where: str = "") -> None:
    """UploadError naming the English, Welsh or Northern Irish codes in ``text`` (a few of them), if any:
    cpop covers Scotland only, and such codes must be reported, not dropped."""
    foreign = foreign_codes(text)
    if foreign:
        shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise UploadError(f"{where}{len(foreign):,} code(s) are not Scottish data zones ({shown}); cpop covers "
                          "Scotland only: remove them and try again")


def upload_codes(contents: str | None, filename: str | None, max_bytes: int) -> list[str]:
    """Area codes and postcodes in an uploaded file, by its kind; UploadError names the file and why.

    Raises for a file of another kind, a text file that is not UTF-8, a file with no codes at
    all, and a file with English, Welsh or Northern Irish codes (naming a few of them).
    """
    if not contents:
        return []
    name = filename or "the file"
    suffix = name.lower().rpartition(".")[2]
    suffix = f".{suffix}" if "." in name else ""
    raw = decode_upload(contents, name, max_bytes)
    if suffix in GEOJSON_SUFFIXES:
        try:
            return codes_from_geojson(raw)
        except ValueError as exc:
            raise UploadError(f"'{name}': {exc}") from None
    if suffix in XLSX_SUFFIXES:
        text = _xlsx_text(raw, name)
    elif suffix in TEXT_SUFFIXES:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UploadError(f"'{name}' is not a UTF-8 text file: save it as 'CSV UTF-8'") from None
    else:
        raise UploadError(f"cpop cannot read '{name}': upload {ACCEPTED}")
    refuse_foreign_codes(text, f"'{name}': ")
    codes = codes_from_text(text)
    if not codes:
        raise UploadError(f"'{name}' has no Scottish area codes (S01…, S02…) or postcodes in it")
    return codes
