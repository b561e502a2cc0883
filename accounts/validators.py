"""One rule for text that names someone or something: no control characters.

Names travel into other people's plain-text emails, CSV exports and page titles. A line break
in a display name becomes a fake header line ("Bcc: …") or a forged paragraph in someone else's
email; a NUL byte cannot be stored by PostgreSQL at all (a 500); a bidirectional override
makes a name read differently from what it is ("Trojan Source"). So names (and every cell of an
enrolment file) may not contain:

- any Unicode control character (category Cc): C0 including NUL, TAB, CR and LF; DEL; C1;
- the line and paragraph separators U+2028 and U+2029, which some clients show as line breaks;
- the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069.

Deliberately allowed: the zero-width joiner and non-joiner (needed to spell words in Persian
and Indic scripts, and in emoji sequences) and the left-to-right / right-to-left marks, which
change how neutral characters sit but cannot reorder a name. docs/security.md says the same.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS_AND_BIDI = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_forbidden(char: str) -> bool:
    return char in _SEPARATORS_AND_BIDI or unicodedata.category(char) == "Cc"


def first_forbidden(value: str) -> tuple[int, str] | None:
    """(1-based position, character) of the first character a name may not hold, or None."""
    for index, char in enumerate(value):
        if is_forbidden(char):
            return index + 1, char
    return None


def describe(char: str) -> str:
    names = {"\x00": _("a NUL byte"), "\t": _("a tab"), "\n": _("a line break"),
             "\r": _("a line break (carriage return)")}
    if char in names:
        return names[char]
    if char in _SEPARATORS_AND_BIDI:
        return _("an invisible layout character (%(code)s)") % {"code": f"U+{ord(char):04X}"}
    return _("a control character (%(code)s)") % {"code": f"U+{ord(char):04X}"}


def forbidden_message(value: str) -> str | None:
    found = first_forbidden(value)
    if found is None:
        return None
    position, char = found
    return _("This contains %(what)s at character %(position)s. Names may not contain line breaks, tabs or other "
             "invisible control characters: retype it on one line.") % {"what": describe(char), "position": position}


def validate_no_control_characters(value: str) -> None:
    """Django validator for every name field (models, forms, the admin)."""
    message = forbidden_message(value or "")
    if message:
        raise ValidationError(message, code="control_character")


def visible(value: str) -> str:
    """The value with each forbidden character shown as a visible symbol (␀, ␊, ␉ …), for
    storing and showing a refused CSV cell: PostgreSQL's jsonb cannot hold NUL, and the person
    fixing the file needs to see where the character was."""
    def show(char: str) -> str:
        if not is_forbidden(char):
            return char
        code = ord(char)
        return chr(0x2400 + code) if code < 0x20 else ("\u2421" if code == 0x7F else "\ufffd")

    return "".join(show(char) for char in value) if first_forbidden(value) else value
