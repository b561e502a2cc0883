import pytest

from enrolment import services


def make_csv(rows, *, header="email,display_name,set,role", sep=",", encoding="utf-8", newline="\n") -> bytes:
    lines = [header.replace(",", sep)] + [sep.join(row) for row in rows]
    return (newline.join(lines) + newline).encode(encoding)


def people(n, *, set_name="Set A", start=0, role="learner"):
    return [(f"person{i}@example.org", f"Person {i}", set_name, role) for i in range(start, start + n)]


@pytest.fixture
def cohort(action_set):
    return action_set.cohort


@pytest.fixture
def preview(cohort, staff):
    def _preview(data: bytes, *, create_sets=False, filename="cohort.csv"):
        return services.preview_enrolment(cohort=cohort, uploaded_by=staff, data=data, filename=filename,
                                          create_sets=create_sets)

    return _preview


def row_errors(batch):
    return [(e["row"], e["column"], e["message"]) for row in batch.plan["rows"] for e in row["errors"]]
