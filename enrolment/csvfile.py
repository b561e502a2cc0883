"""Reading an uploaded enrolment file: bytes in, header-mapped records and precise problems out.

Nothing here touches the database. Spreadsheets produce every kind of file, so this module
decodes (UTF-8 with or without BOM, UTF-16, Windows-1252, or a mix of UTF-8 and Windows-1252
line by line), finds the separator, maps the header row (forgiving case, spaces and a few
aliases; suggesting the right name for a misspelt one), and reports every problem with the
row and column a person would find in their spreadsheet. Row 1 is the header row.
"""

import codecs
import csv
import difflib
import io
import re
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy as _, ngettext

from accounts.validators import forbidden_message, visible

REQUIRED_COLUMNS = ("email", "display_name", "set", "role")
# The optional columns after timezone are what allocation reads (docs/allocation.md);
# must_not_share is staff-only.
ALLOCATION_COLUMNS = ("department", "organisation", "must_not_share", "requested")
OPTIONAL_COLUMNS = ("timezone",) + ALLOCATION_COLUMNS
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
ALIASES = {
    "e_mail": "email", "email_address": "email", "mail": "email",
    "name": "display_name", "displayname": "display_name", "full_name": "display_name",
    "action_set": "set", "set_name": "set", "group": "set",
    "time_zone": "timezone", "tz": "timezone",
    "discipline": "department", "dept": "department", "school": "department",
    "organization": "organisation", "org": "organisation", "employer": "organisation", "institution": "organisation",
    "not_with": "must_not_share", "must_not_share_with": "must_not_share", "conflicts": "must_not_share",
    "requested_with": "requested", "pair_with": "requested", "with": "requested",
}
DELIMITERS = ",;\t|"
DELIMITER_NAMES = {",": _("comma (,)"), ";": _("semicolon (;)"), "\t": _("tab"), "|": _("vertical bar (|)")}
WINDOWS_1252 = _("Windows-1252 (Latin-1, as saved by Excel)")
# The stored plan (EnrolmentBatch.plan) grows with what the file holds: a header of 20,000 unknown
# columns made it megabytes of "column ignored" notes. Nine columns are used; 50 leaves room for
# a registry export's extra ones. No cell we use needs more than an email address's 254
# characters; longer cells are refused and stored cut short.
MAX_COLUMNS = 50
MAX_CELL_CHARS = 300


@dataclass
class Problem:
    message: str
    row: int | None = None
    column: str = ""  # e.g. "B (display_name)"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedFile:
    encoding: str = ""
    delimiter: str = ","
    records: list[dict] = field(default_factory=list)  # {"row": n, "values": {...}, "warnings": [...]}
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blank_rows: int = 0
    columns: dict[str, int] = field(default_factory=dict)

    @property
    def delimiter_name(self) -> str:
        return str(DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter)))


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_label(name: str, columns: dict[str, int]) -> str:
    return f"{column_letter(columns[name])} ({name})" if name in columns else name


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    megabytes = round(n / 1024 / 1024, 1)
    return f"{int(megabytes) if megabytes == int(megabytes) else number_format(megabytes, 1)} MB"


def parse(data: bytes, *, max_bytes: int, max_rows: int) -> ParsedFile:
    parsed = ParsedFile()
    if len(data) > max_bytes:
        parsed.errors.append(Problem(
            gettext("The file is %(size)s; the limit is %(limit)s. Split it into smaller files (for example one per set).")
            % {"size": _size(len(data)), "limit": _size(max_bytes)}))
        return parsed
    if not data.strip():
        parsed.errors.append(Problem(gettext("The file is empty.")))
        return parsed
    if _looks_binary(data, parsed):
        return parsed
    text, line_encodings = _decode(data, parsed)
    if text is None:
        return parsed
    _read_rows(text, line_encodings, parsed, max_rows=max_rows)
    return parsed


def _looks_binary(data: bytes, parsed: ParsedFile) -> bool:
    if data[:4] == b"PK\x03\x04":
        parsed.errors.append(Problem(gettext(
            "This is a spreadsheet workbook (.xlsx or .ods), not a CSV file. In your spreadsheet "
            "choose File → Save As (or Download) → “CSV UTF-8”, then upload that file.")))
        return True
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        parsed.errors.append(Problem(gettext("This is an old Excel workbook (.xls), not a CSV file. Save it as “CSV UTF-8”.")))
        return True
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        parsed.errors.append(Problem(gettext("This does not look like a text file. Upload a CSV file saved as “CSV UTF-8”.")))
        return True
    return False


def _decode(data: bytes, parsed: ParsedFile) -> tuple[str | None, dict[int, str]]:
    """Return the text and, for a mixed file, the line numbers that were not UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            parsed.encoding = "UTF-16"
            return data.decode("utf-16"), {}
        except UnicodeDecodeError as error:
            parsed.errors.append(Problem(gettext("The file says it is UTF-16 but is not (%(reason)s).") % {"reason": error.reason}))
            return None, {}
    has_bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if has_bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        parsed.encoding = (gettext("UTF-8 with BOM") if has_bom
                           else ("UTF-8" if not body.isascii() else gettext("UTF-8 (plain ASCII)")))
        return text, {}
    return _decode_by_line(body, parsed, has_bom=has_bom)


def _decode_by_line(body: bytes, parsed: ParsedFile, *, has_bom: bool) -> tuple[str | None, dict[int, str]]:
    lines = body.split(b"\n")
    decoded: list[str] = []
    utf8_non_ascii = False
    other: dict[int, str] = {}
    for number, line in enumerate(lines, start=1):
        try:
            decoded.append(line.decode("utf-8"))
            utf8_non_ascii = utf8_non_ascii or not line.isascii()
            continue
        except UnicodeDecodeError:
            pass
        try:
            decoded.append(line.decode("cp1252"))
            other[number] = "cp1252"
        except UnicodeDecodeError as error:
            bad = line[error.start]
            parsed.errors.append(Problem(
                gettext("Byte %(byte)s at character %(position)s is neither UTF-8 nor Windows-1252: save the file as "
                        "“CSV UTF-8” and upload it again.") % {"byte": f"0x{bad:02X}", "position": error.start + 1},
                row=number))
    if parsed.errors:
        return None, {}
    if utf8_non_ascii or has_bom:
        parsed.encoding = gettext("mixed: UTF-8, with some lines in Windows-1252")
        parsed.notes.append(ngettext(
            "Line %(lines)s of this file was not UTF-8 like the rest and was read as Windows-1252: check the accented "
            "letters on that row below.",
            "Lines %(lines)s of this file were not UTF-8 like the rest and were read as Windows-1252: check the accented "
            "letters on those rows below.", len(other)) % {"lines": _line_list(sorted(other))})
        return "\n".join(decoded), other
    parsed.encoding = str(WINDOWS_1252)
    return "\n".join(decoded), {}


def _line_list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:10]) + (" …" if len(numbers) > 10 else "")


def _normalise_header(raw: str) -> str:
    name = re.sub(r"[\s\-.]+", "_", raw.strip().strip("\ufeff").lower()).strip("_")
    return ALIASES.get(name, name)


def _sniff(text: str) -> str:
    sample = text[:16384]
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    # The Sniffer can be fooled (names with commas in a ;-file): prefer whichever separator
    # turns the first line into the most recognisable column names.
    def known(candidate: str) -> int:
        cells = next(csv.reader([first_line], delimiter=candidate), [])
        return sum(_normalise_header(cell) in KNOWN_COLUMNS for cell in cells)

    best = max(DELIMITERS, key=known)
    return best if known(best) > known(delimiter) else delimiter


def _map_header(header: list[str], row: int, parsed: ParsedFile) -> None:
    unknown: list[tuple[int, str, str]] = []
    for index, raw in enumerate(header):
        name = _normalise_header(raw)
        if not name:
            continue
        if name in KNOWN_COLUMNS:
            if name in parsed.columns:
                parsed.errors.append(Problem(
                    gettext("“%(heading)s” appears twice in the header row (also column %(column)s).")
                    % {"heading": raw.strip(), "column": column_letter(parsed.columns[name])},
                    row=row, column=column_letter(index)))
            else:
                parsed.columns[name] = index
        else:
            unknown.append((index, raw.strip(), name))
    if any("@" in cell for cell in header):
        parsed.errors.append(Problem(gettext(
            "The first row must be the header row — email, display_name, set, role (and optionally "
            "timezone) — but it looks like a person's details."), row=row))
        return
    wanted = [name for name in KNOWN_COLUMNS if name not in parsed.columns]
    for index, raw, name in unknown:
        match = difflib.get_close_matches(name, wanted, n=1, cutoff=0.6)
        if match:
            wanted.remove(match[0])
            parsed.errors.append(Problem(
                gettext("Column heading “%(heading)s” is not one we know. Did you mean “%(suggestion)s”?")
                % {"heading": raw, "suggestion": match[0]}, row=row, column=column_letter(index)))
        else:
            parsed.notes.append(gettext("Column %(column)s (“%(heading)s”) is not used and was ignored.")
                                % {"column": column_letter(index), "heading": raw})
    for name in wanted:
        if name in REQUIRED_COLUMNS:
            parsed.errors.append(Problem(
                gettext("The header row has no “%(name)s” column. It must name: %(required)s (and optionally timezone).")
                % {"name": name, "required": ", ".join(REQUIRED_COLUMNS)}, row=row))


def _read_rows(text: str, line_encodings: dict[int, str], parsed: ParsedFile, *, max_rows: int) -> None:
    parsed.delimiter = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=parsed.delimiter)
    header: list[str] | None = None
    try:
        for row, values in enumerate(reader, start=1):
            if not any(value.strip() for value in values):
                if header is not None:
                    parsed.blank_rows += 1
                continue
            if header is None:
                header = values
                if _header_too_wide(header, row, parsed) or _header_has_control_characters(header, row, parsed):
                    return
                _map_header(header, row, parsed)
                if parsed.errors:
                    return
                continue
            if len(parsed.records) >= max_rows:
                parsed.errors.append(Problem(
                    gettext("The file has more than %(limit)s people; split it into smaller files.")
                    % {"limit": number_format(max_rows, force_grouping=True)}, row=row))
                return
            _add_record(row, values, header, line_encodings.get(reader.line_num), parsed)
    except csv.Error as error:
        parsed.errors.append(Problem(gettext("The file could not be read as CSV here: %(error)s.") % {"error": error},
                                     row=reader.line_num))
        return
    if header is None:
        parsed.errors.append(Problem(gettext("The file has no header row and no people.")))
    elif not parsed.records:
        parsed.errors.append(Problem(gettext("The file has a header row but no people under it.")))


def _header_too_wide(header: list[str], row: int, parsed: ParsedFile) -> bool:
    if len(header) <= MAX_COLUMNS:
        return False
    parsed.errors.append(Problem(
        gettext("The header row has %(count)s columns; the limit is %(limit)s. Keep the columns email, display_name, "
                "set, role and timezone, delete the others, and upload the file again.")
        % {"count": number_format(len(header), force_grouping=True), "limit": MAX_COLUMNS}, row=row))
    return True


def _header_has_control_characters(header: list[str], row: int, parsed: ParsedFile) -> bool:
    for index, raw in enumerate(header):
        message = forbidden_message(raw.strip())
        if message:
            parsed.errors.append(Problem(gettext("Column heading: %(message)s") % {"message": message},
                                         row=row, column=column_letter(index)))
    return bool(parsed.errors)


def _cell_problems(row: int, values: list[str], parsed: ParsedFile) -> list[dict]:
    """Control characters and oversized cells, in every cell of the row (used or not): a NUL
    anywhere in the file ends up here, named by its row and column."""
    names = {index: name for name, index in parsed.columns.items()}
    problems = []
    for index, value in enumerate(values[:MAX_COLUMNS]):
        column = f"{column_letter(index)} ({names[index]})" if index in names else column_letter(index)
        message = forbidden_message(value.strip())
        if message:
            problems.append(Problem(message.replace("Names may not", "Cells may not"), row=row, column=column).as_dict())
        elif len(value.strip()) > MAX_CELL_CHARS:
            problems.append(Problem(
                gettext("This cell is %(length)s characters long; the limit is %(limit)s.")
                % {"length": number_format(len(value.strip()), force_grouping=True), "limit": MAX_CELL_CHARS},
                row=row, column=column).as_dict())
    return problems


def _stored(value: str) -> str:
    # What the preview shows and the plan keeps: control characters made visible (jsonb cannot
    # hold NUL), cut to the cell limit.
    return visible(value.strip())[:MAX_CELL_CHARS]


def _add_record(row: int, values: list[str], header: list[str], encoding: str | None, parsed: ParsedFile) -> None:
    warnings: list[dict] = []
    errors: list[dict] = _cell_problems(row, values, parsed)
    extra = [value for value in values[len(header):] if value.strip()]
    if extra:
        errors.append(Problem(
            gettext("This row has %(values)s values but the header has %(columns)s columns: the extra “%(extra)s” has "
                    "no column. Is there an unquoted %(separator)s inside a name?")
            % {"values": len(values), "columns": len(header), "extra": _stored(extra[0])[:40],
               "separator": DELIMITER_NAMES.get(parsed.delimiter, parsed.delimiter)},
            row=row, column=column_letter(len(header))).as_dict())
    if encoding:
        warnings.append(Problem(gettext(
            "This line was not UTF-8 like the rest of the file; it was read as Windows-1252. "
            "Check that the name looks right."), row=row).as_dict())
    cells = {name: (_stored(values[index]) if index < len(values) else "") for name, index in parsed.columns.items()}
    parsed.records.append({"row": row, "values": cells, "warnings": warnings, "parse_errors": errors})
