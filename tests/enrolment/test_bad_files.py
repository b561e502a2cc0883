"""Every kind of bad file gets a precise message (row and column), never a 500."""

import codecs

import pytest

from accounts.models import User
from actionsets.models import Membership

from .conftest import make_csv, people, row_errors


def test_plain_utf8_file_previews_every_row_with_its_outcome(preview, learner):
    batch = preview(make_csv([("learner@example.com", "L", "Set A", "learner")] + people(2)))
    outcomes = [row["outcome"] for row in batch.plan["rows"]]
    assert outcomes == ["already_enrolled", "new_membership", "new_membership"]
    assert batch.totals["new_users"] == 2 and batch.totals["existing_users"] == 1
    assert batch.plan["file_errors"] == []


def test_utf8_with_bom_is_read_and_named(preview):
    batch = preview(codecs.BOM_UTF8 + make_csv([("zoe@example.org", "Zoë Ñandú", "Set A", "learner")]))
    assert batch.encoding == "UTF-8 with BOM"
    assert batch.plan["rows"][0]["values"]["display_name"] == "Zoë Ñandú"
    assert batch.plan["rows"][0]["outcome"] == "new_membership"


def test_windows_1252_file_from_excel_is_detected_and_decoded(preview):
    batch = preview(make_csv([("zoe@example.org", "Zoë Brontë", "Set A", "learner")], encoding="cp1252",
                             newline="\r\n"))
    assert batch.encoding.startswith("Windows-1252")
    assert batch.plan["rows"][0]["values"]["display_name"] == "Zoë Brontë"


def test_mixed_encoding_is_decoded_line_by_line_and_the_rows_are_flagged(preview):
    data = make_csv([("zoe@example.org", "Zoë", "Set A", "learner")]) + "jose@example.org,José,Set A,learner\n".encode("cp1252")
    batch = preview(data)
    assert batch.encoding.startswith("mixed")
    rows = batch.plan["rows"]
    assert [r["values"]["display_name"] for r in rows] == ["Zoë", "José"]
    assert rows[1]["warnings"] and rows[1]["warnings"][0]["row"] == 3
    assert any("Line 3" in note for note in batch.plan["notes"])


def test_bytes_in_no_known_encoding_are_pointed_at(preview):
    batch = preview(b"email,display_name,set,role\nx@example.org,Bad \x81 name,Set A,learner\n")
    assert batch.plan["file_errors"][0]["row"] == 2
    assert "0x81" in batch.plan["file_errors"][0]["message"]


def test_semicolon_separated_file_is_sniffed(preview):
    batch = preview(make_csv([("ann@example.org", "Smith, Ann", "Set A", "learner")], sep=";"))
    assert batch.delimiter == "semicolon (;)"
    assert batch.plan["rows"][0]["values"]["display_name"] == "Smith, Ann"


def test_misspelt_headers_get_a_suggestion_with_their_column(preview):
    batch = preview(make_csv(people(1), header="emial,display_name,set,rol"))
    errors = batch.plan["file_errors"]
    assert {(e["row"], e["column"]) for e in errors} == {(1, "A"), (1, "D")}
    assert "Did you mean “email”?" in errors[0]["message"]
    assert "Did you mean “role”?" in errors[1]["message"]


def test_missing_header_is_named(preview):
    batch = preview(make_csv([("a@example.org", "A", "Set A")], header="email,display_name,set"))
    assert "no “role” column" in batch.plan["file_errors"][0]["message"]


def test_header_spelling_variants_are_forgiven(preview):
    batch = preview(make_csv(people(1), header="E-mail,Display Name,Set,ROLE"))
    assert batch.plan["file_errors"] == [] and batch.totals["new_memberships"] == 1


def test_a_file_without_header_row_says_so(preview):
    batch = preview(make_csv(people(1), header="a@example.org,A,Set A,learner"))
    assert "header row" in batch.plan["file_errors"][0]["message"]


def test_blank_lines_are_skipped_and_counted(preview):
    data = b"email,display_name,set,role\n\na@example.org,A,Set A,learner\n , , , \n\nb@example.org,B,Set A,learner\n"
    batch = preview(data)
    assert [r["row"] for r in batch.plan["rows"]] == [3, 6]
    assert batch.plan["blank_rows"] == 3
    assert batch.totals["new_memberships"] == 2


def test_duplicate_rows_are_skipped_with_a_pointer_to_the_first(preview):
    batch = preview(make_csv([("a@example.org", "A", "Set A", "learner"), ("A@Example.org", "A", "set a", "Learner")]))
    assert [r["outcome"] for r in batch.plan["rows"]] == ["new_membership", "duplicate"]
    assert "row 2" in batch.plan["rows"][1]["notes"][0]
    assert batch.totals["duplicates"] == 1


def test_invalid_email_unknown_role_and_timezone_point_at_row_and_column(preview):
    data = make_csv([("not-an-email", "A", "Set A", "learner", ""),
                     ("b@example.org", "B", "Set A", "learnr", "Europe/Lodnon")],
                    header="email,display_name,set,role,timezone")
    batch = preview(data)
    errors = row_errors(batch)
    assert (2, "A (email)", "“not-an-email” is not a valid email address.") in errors
    role = next(e for e in errors if e[1] == "D (role)")
    assert role[0] == 3 and "Did you mean “learner”?" in role[2]
    tz = next(e for e in errors if e[1] == "E (timezone)")
    assert tz[0] == 3 and "Europe/London" in tz[2]
    assert batch.totals["errors"] == 2


def test_timezone_case_is_forgiven(preview):
    batch = preview(make_csv([("a@example.org", "A", "Set A", "learner", "europe/london")],
                             header="email,display_name,set,role,timezone"))
    assert batch.plan["rows"][0]["timezone"] == "Europe/London"


def test_learner_in_two_sets_of_one_cohort_is_an_error(preview, other_set):
    batch = preview(make_csv([("a@example.org", "A", "Set A", "learner"), ("a@example.org", "A", "Set B", "learner")]))
    assert batch.plan["rows"][1]["outcome"] == "error"
    row, column, message = row_errors(batch)[0]
    assert (row, column) == (3, "C (set)") and "Row 2 already places this learner in “Set A”" in message


def test_learner_already_in_another_set_of_the_cohort_is_told_to_use_move(preview, outsider):
    batch = preview(make_csv([("outsider@example.com", "O", "Set A", "learner")]))
    assert "use Move" in row_errors(batch)[0][2]


def test_facilitator_may_facilitate_two_sets_of_a_cohort(preview, other_set):
    batch = preview(make_csv([("f@example.org", "F", "Set A", "facilitator"), ("f@example.org", "F", "Set B", "facilitator")]))
    assert batch.totals["new_memberships"] == 2 and batch.totals["new_users"] == 1


def test_unknown_set_suggests_the_nearest_and_the_create_option(preview):
    batch = preview(make_csv([("a@example.org", "A", "Set  Aa", "learner")]))
    message = row_errors(batch)[0][2]
    assert "Did you mean “Set A”?" in message and "Create sets named in the file" in message


def test_unknown_set_is_planned_as_new_only_when_ticked(preview):
    batch = preview(make_csv([("a@example.org", "A", "Set Z", "learner")]), create_sets=True)
    assert batch.plan["rows"][0]["set_is_new"] and batch.totals["new_sets"] == 1


def test_extra_values_in_a_row_point_at_the_column(preview):
    batch = preview(b"email,display_name,set,role\na@example.org,Smith, Ann,Set A,learner\n")
    row, column, message = row_errors(batch)[0]
    assert (row, column) == (2, "E") and "unquoted comma" in message


def test_new_person_without_a_name_is_an_error(preview):
    batch = preview(make_csv([("a@example.org", "", "Set A", "learner")]))
    assert row_errors(batch)[0][1] == "B (display_name)"


def test_file_over_5_mb_is_refused_with_its_size(preview):
    line = b"someone.with.a.long.address@example.org,Someone,Set A,learner\n"
    batch = preview(b"email,display_name,set,role\n" + line * (5 * 1024 * 1024 // len(line) + 10))
    assert "the limit is 5 MB" in batch.plan["file_errors"][0]["message"]
    assert batch.plan["rows"] == []


@pytest.mark.parametrize("data, words", [
    (b"PK\x03\x04\x14\x00rest-of-a-zip", "spreadsheet workbook"),
    (b"", "empty"),
    (b"email,display_name,set,role\n", "no people"),
    (b"\x00\x01\x02binary", "text file"),
])
def test_files_that_are_not_csv_are_named(preview, data, words):
    assert words in preview(data).plan["file_errors"][0]["message"]


def test_no_bad_file_creates_anything(preview, cohort):
    users, memberships = User.objects.count(), Membership.objects.count()
    preview(b"PK\x03\x04")
    preview(make_csv([("bad", "", "Nope", "boss")]))
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)


def test_bad_upload_through_the_page_shows_the_errors_not_a_500(client_for, staff, cohort):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(staff)
    upload = SimpleUploadedFile("people.csv", b"emial;display_name;set;role\nx;y;z;w\n", content_type="text/csv")
    response = client.post(f"/manage/cohorts/{cohort.slug}/enrol/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "Did you mean “email”?" in response.content.decode()


def test_utf16_tab_separated_file_from_excel_unicode_text_is_read(preview):
    data = "email\tdisplay_name\tset\trole\r\nzoe@example.org\tZoë\tSet A\tlearner\r\n".encode("utf-16")
    batch = preview(data)
    assert batch.encoding == "UTF-16" and batch.delimiter == "tab"
    assert batch.plan["rows"][0]["values"]["display_name"] == "Zoë"
