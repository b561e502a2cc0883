"""Control characters in names and CSV cells, and the size caps on an enrolment file (issue 11).

A NUL byte after the first 4 KB used to create a user whose name held NUL (a 500 on PostgreSQL,
whose text and jsonb columns cannot hold it); a quoted line break in a name became a fake header
line in other members' plain-text emails; a header of 20,000 unknown columns stored megabytes of
notes in the batch. Run these on PostgreSQL too (docs/security.md says how).
"""

import json

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from enrolment import services
from enrolment.csvfile import MAX_CELL_CHARS, MAX_COLUMNS

from .conftest import make_csv, people, row_errors

PADDING = people(120)  # ~4.5 KB of good rows: what follows lies past the old 4 KB check


def csv_with(name: str, *, before=PADDING) -> bytes:
    quoted = '"' + name.replace('"', '""') + '"'
    return make_csv(before + [("eve@example.org", quoted, "Set A", "learner")] + people(1, start=500))


def test_a_nul_byte_past_the_first_4_kb_is_an_error_naming_its_row_and_creates_nobody(preview, staff):
    data = csv_with("Eve\x00il")
    assert len(data) > 4096 and data.index(b"\x00") > 4096
    batch = preview(data)
    bad_row = len(PADDING) + 2
    assert [(row, column) for row, column, _ in row_errors(batch)] == [(bad_row, "B (display_name)")]
    assert "a NUL byte at character 4" in row_errors(batch)[0][2]
    stored = batch.plan["rows"][bad_row - 2]["values"]["display_name"]
    assert stored == "Eve\u2400il"  # shown, and storable in jsonb
    services.commit_enrolment(batch=batch, actor=staff)
    assert not User.objects.filter(email="eve@example.org").exists()
    assert User.objects.filter(email="person500@example.org").exists()  # the rows after it still count
    assert not any("\x00" in name for name in User.objects.values_list("display_name", flat=True))


@pytest.mark.parametrize("name, what", [
    ("Ann\r\nBcc: everyone@example.org", "a line break (carriage return) at character 4"),
    ("Ann\nSubject: urgent", "a line break at character 4"),
    ("Ann\tLee", "a tab at character 4"),
    ("Ann\x85Lee", "a control character (U+0085)"),          # C1 "next line"
    ("Ann\x1bLee", "a control character (U+001B)"),          # escape
    ("Ann\u2028Lee", "an invisible layout character (U+2028)"),  # line separator
    ("Ann \u202eeeL", "an invisible layout character (U+202E)"),  # right-to-left override
])
def test_control_and_layout_characters_in_a_name_are_refused_with_the_row(preview, name, what):
    batch = preview(csv_with(name, before=[]))
    errors = row_errors(batch)
    assert [(row, column) for row, column, _ in errors] == [(2, "B (display_name)")]
    assert what in errors[0][2]
    assert batch.plan["rows"][0]["outcome"] == "error"


def test_every_cell_is_checked_not_only_names(preview):
    data = make_csv([("ann@example.org", "Ann", '"Set\x01A"', "learner", "x\x07"), *people(1)],
                    header="email,display_name,set,role,notes")
    errors = row_errors(batch := preview(data))
    control = [(row, column) for row, column, message in errors if "control character (U+" in message]
    assert control == [(2, "C (set)"), (2, "E")]
    assert batch.plan["rows"][1]["outcome"] == "new_membership"


def test_a_control_character_in_the_header_is_a_file_error(preview):
    batch = preview(make_csv(people(1), header='email,"display\nname",set,role'))
    [error] = batch.plan["file_errors"]
    assert (error["row"], error["column"]) == (1, "B") and "a line break" in error["message"]


def test_names_from_other_scripts_and_emoji_are_fine(preview):
    names = ["Zoë Ñandú", "محمد‌رضا", "क्षत्रिय", "👩‍🔬 Sam", "O’Brien-Smith", "שרה\u200fכהן"]
    batch = preview(make_csv([(f"p{i}@example.org", name, "Set A", "learner") for i, name in enumerate(names)]))
    assert row_errors(batch) == []
    assert [row["values"]["display_name"] for row in batch.plan["rows"]] == names


def test_a_header_of_20000_unknown_columns_is_refused_and_stores_next_to_nothing(preview):
    header = "email,display_name,set,role," + ",".join(f"extra{i}" for i in range(20_000))
    batch = preview(make_csv(people(2), header=header))
    [error] = batch.plan["file_errors"]
    assert f"the limit is {MAX_COLUMNS}" in error["message"] and error["row"] == 1
    assert len(json.dumps(batch.plan)) < 2_000


def test_the_column_limit_leaves_room_for_a_registry_export(preview):
    header = "email,display_name,set,role," + ",".join(f"extra{i}" for i in range(MAX_COLUMNS - 4))
    rows = [row + ("",) * (MAX_COLUMNS - 4) for row in people(2)]
    batch = preview(make_csv(rows, header=header))
    assert batch.plan["file_errors"] == [] and row_errors(batch) == []


def test_an_oversized_cell_is_refused_and_stored_cut_short(preview):
    batch = preview(make_csv([("ann@example.org", "A" * 100_000, "Set A", "learner")]))
    (row, column, message), *_also_too_long_for_a_name = row_errors(batch)
    assert (row, column) == (2, "B (display_name)") and f"the limit is {MAX_CELL_CHARS}" in message
    assert len(batch.plan["rows"][0]["values"]["display_name"]) == MAX_CELL_CHARS
    assert len(json.dumps(batch.plan)) < 5_000


def test_a_name_typed_in_by_staff_is_checked_too(staff, action_set):
    with pytest.raises(ValidationError) as refused:
        services.enrol_person(cohort=action_set.cohort, actor=staff, email="eve@example.org",
                              display_name="Eve\r\nBcc: x@example.org", set_name="Set A", role="learner")
    assert "a line break" in refused.value.message_dict["display_name"][0]
    assert not User.objects.filter(email="eve@example.org").exists()
