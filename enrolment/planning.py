"""Validating enrolment rows against the cohort as it is now. Reads only.

`plan_rows` costs a constant number of queries whatever the number of rows: the cohort's
sets, the users named in the file (one `IN` query), and their current memberships in the
cohort. Preview stores its JSON; commit runs it again on the stored rows, so what is applied
is exactly what was previewed, checked against the database of the moment.
"""

import difflib
import functools
import re
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext, gettext_lazy as _

from accounts.models import User
from accounts.validators import forbidden_message, visible
from actionsets.models import ActionSet, Cohort, Membership

from .csvfile import KNOWN_COLUMNS, column_label

NEW_MEMBERSHIP = "new_membership"
ALREADY_ENROLLED = "already_enrolled"
DUPLICATE = "duplicate"
ERROR = "error"
TO_ALLOCATE = "to_allocate"  # an empty set cell in a batch that allows it: joins the cohort, set allocated later
ROSTER_OUTCOMES = (NEW_MEMBERSHIP, ALREADY_ENROLLED, TO_ALLOCATE)
OUTCOME_LABELS = {
    NEW_MEMBERSHIP: _("New membership"), ALREADY_ENROLLED: _("Already enrolled"), DUPLICATE: _("Duplicate row"),
    ERROR: _("Error"), TO_ALLOCATE: _("To allocate"),
}
ROLES = (Membership.Role.LEARNER.value, Membership.Role.FACILITATOR.value)
DEFAULT_COLUMNS = {name: index for index, name in enumerate(KNOWN_COLUMNS)}


@functools.cache
def _timezones() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


@dataclass
class Plan:
    rows: list[dict]
    totals: dict
    sets_by_key: dict[str, ActionSet]
    users_by_email: dict[str, User]
    new_sets: dict[str, str] = field(default_factory=dict)  # "new:<lower name>" → name as written

    def rows_to_apply(self) -> list[dict]:
        return [row for row in self.rows if row["outcome"] == NEW_MEMBERSHIP]

    def rows_to_allocate(self) -> list[dict]:
        return [row for row in self.rows if row["outcome"] == TO_ALLOCATE]


@dataclass
class _Context:
    cohort: Cohort
    columns: dict[str, int]
    create_sets: bool
    allocate_later: bool
    sets: dict[str, ActionSet]
    users: dict[str, User]
    memberships: dict[int, dict[int, str]]
    seen: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    learner_rows: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    new_sets: dict[str, str] = field(default_factory=dict)

    def label(self, column: str) -> str:
        return column_label(column, self.columns)


def _load(cohort: Cohort, records: list[dict]) -> tuple[dict, dict, dict]:
    sets: dict[str, ActionSet] = {}
    for action_set in ActionSet.objects.filter(cohort=cohort):
        sets.setdefault(action_set.name.lower(), action_set)
        sets.setdefault(action_set.slug.lower(), action_set)
    emails = {record["values"].get("email", "").strip().lower() for record in records} - {""}
    users = {}
    if emails:
        users = {u.email_lower: u for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)}
    memberships: dict[int, dict[int, str]] = {}
    if users:
        rows = Membership.objects.current().filter(
            action_set__cohort=cohort, user_id__in=[u.pk for u in users.values()]
        ).values_list("user_id", "action_set_id", "role")
        for user_id, set_id, role in rows:
            memberships.setdefault(user_id, {})[set_id] = role
    return sets, users, memberships


def plan_rows(*, cohort: Cohort, records: list[dict], create_sets: bool, columns: dict | None = None,
              allocate_later: bool = False) -> Plan:
    sets, users, memberships = _load(cohort, records)
    ctx = _Context(cohort=cohort, columns=columns or DEFAULT_COLUMNS, create_sets=create_sets,
                   allocate_later=allocate_later, sets=sets, users=users, memberships=memberships)
    rows = [_check(record, ctx) for record in records]
    return Plan(rows=rows, totals=_totals(rows), sets_by_key={f"id:{s.pk}": s for s in sets.values()},
                users_by_email=users, new_sets=ctx.new_sets)


def _suggest(value: str, choices, cutoff: float = 0.6) -> str:
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=cutoff)
    return " " + gettext("Did you mean “%(suggestion)s”?") % {"suggestion": match[0]} if match else ""


def _check(record: dict, ctx: _Context) -> dict:
    values = record["values"]
    errors = list(record.get("parse_errors", []))
    notes: list[str] = []

    def error(column: str, message: str) -> None:
        errors.append({"row": record["row"], "column": ctx.label(column), "message": message})

    # Rows from a file were checked cell by cell in csvfile; rows typed in (enrol_person, the shell)
    # arrive here raw, so every value is checked again, and kept only in its visible form.
    for column, value in values.items():
        message = forbidden_message(value.strip())
        if message:
            error(column, message)
    values = {column: visible(value) for column, value in values.items()}
    email = _check_email(values.get("email", ""), error)
    role = _check_role(values.get("role", ""), error)
    unplaced = ctx.allocate_later and not values.get("set", "").strip()
    set_key, set_label = ("", "") if unplaced else _check_set(values.get("set", ""), ctx, error)
    timezone = _check_timezone(values.get("timezone", ""), error)
    allocation = _check_allocation_columns(values, email, error)
    display_name = values.get("display_name", "").strip()
    if len(display_name) > 80:
        error("display_name", gettext("The display name is %(length)s characters; the limit is 80.")
              % {"length": len(display_name)})
    user = ctx.users.get(email) if email else None
    if user is not None:
        if not user.is_active:
            error("email", gettext("This account is closed (deactivated or deleted), so it cannot be enrolled."))
        elif display_name and display_name != user.display_name:
            notes.append(gettext("Existing account: their name stays “%(name)s”.") % {"name": user.name})
    elif email and not display_name:
        error("display_name", gettext("The display name is empty: new people need a name their set will see."))
    if unplaced:
        outcome = ERROR if errors else _allocation_outcome(record["row"], email, role, user, ctx, error, notes)
    else:
        outcome = ERROR if errors else _membership_outcome(record["row"], email, role, set_key, set_label, user, ctx,
                                                           error, notes)
    outcome = ERROR if errors else outcome
    return {
        "row": record["row"], "values": values, "warnings": record.get("warnings", []),
        "parse_errors": record.get("parse_errors", []),
        "errors": errors, "notes": notes, "outcome": outcome, "outcome_label": str(OUTCOME_LABELS[outcome]),
        "email": email, "display_name": display_name, "role": role, "timezone": timezone,
        "set_key": set_key, "set_label": set_label, "set_is_new": set_key.startswith("new:"),
        "user": ("existing" if user is not None else "new") if email else "",
        **allocation,
    }


ADDRESS_SEPARATORS = re.compile(r"[\s;,]+")


def _check_allocation_columns(values: dict, email: str, error) -> dict:
    """Department, organisation and the two lists of addresses allocation reads."""
    found: dict = {}
    for column in ("department", "organisation"):
        found[column] = " ".join(values.get(column, "").split())
        if len(found[column]) > 120:
            error(column, gettext("This is %(length)s characters; the limit is 120.") % {"length": len(found[column])})
    for column in ("must_not_share", "requested"):
        addresses = []
        for raw in ADDRESS_SEPARATORS.split(values.get(column, "").strip()):
            if not raw:
                continue
            try:
                validate_email(raw.lower())
            except ValidationError:
                error(column, gettext("“%(value)s” is not an email address: list addresses separated by semicolons.")
                      % {"value": raw[:80]})
                continue
            if raw.lower() != email:
                addresses.append(raw.lower())
        found[column] = sorted(set(addresses))
    return found


def _allocation_outcome(row, email, role, user, ctx, error, notes) -> str:
    """A person with no set: they join the cohort's roster and wait for the allocation."""
    first = ctx.seen.get((email, ""))
    if first is not None:
        notes.append(gettext("Same person as row %(row)s: skipped.") % {"row": first[0]})
        return DUPLICATE
    ctx.seen[(email, "")] = (row, role)
    current = ctx.memberships.get(user.pk, {}) if user is not None else {}
    if role == Membership.Role.LEARNER and (email in ctx.learner_rows or Membership.Role.LEARNER in current.values()):
        notes.append(gettext("Already placed in a set: their details are kept for allocation; their set does not change."))
    return TO_ALLOCATE


def _check_email(raw: str, error) -> str:
    email = raw.strip().lower()
    if not email:
        error("email", gettext("The email address is empty."))
        return ""
    try:
        validate_email(email)
    except ValidationError:
        error("email", gettext("“%(value)s” is not a valid email address.") % {"value": raw.strip()[:80]})
        return ""
    return email


def _check_role(raw: str, error) -> str:
    role = raw.strip().lower()
    if not role:
        error("role", gettext("The role is empty: write learner or facilitator."))
    elif role not in ROLES:
        error("role", gettext("“%(value)s” is not a role.%(suggestion)s Use learner or facilitator.")
              % {"value": raw.strip()[:40], "suggestion": _suggest(role, ROLES, 0.5)})
        return ""
    return role


def _check_set(raw: str, ctx: _Context, error) -> tuple[str, str]:
    name = " ".join(raw.split())
    if not name:
        error("set", gettext("The set is empty: name the set this person joins."))
        return "", ""
    existing = ctx.sets.get(name.lower())
    if existing is not None:
        return f"id:{existing.pk}", existing.name
    if len(name) > 120:
        error("set", gettext("A set name must be under 120 characters."))
        return "", ""
    if ctx.create_sets:
        key = f"new:{name.lower()}"
        ctx.new_sets.setdefault(key, name)
        return key, ctx.new_sets[key]
    names = sorted({s.name for s in ctx.sets.values()})
    error("set", gettext("There is no set called “%(name)s” in %(cohort)s.%(suggestion)s Fix the name, or tick "
                         "“Create sets named in the file that don't exist”.")
          % {"name": name, "cohort": ctx.cohort.name, "suggestion": _suggest(name, names)})
    return "", ""


def _check_timezone(raw: str, error) -> str:
    value = raw.strip()
    if not value:
        return ""
    found = _timezones().get(value.lower().replace(" ", "_"))
    if found is None:
        error("timezone", gettext("“%(value)s” is not a time zone we know.%(suggestion)s Use names such as "
                                  "Europe/London or America/New_York, or leave it empty.")
              % {"value": value[:60], "suggestion": _suggest(value, _timezones().values())})
        return ""
    return found


def _membership_outcome(row, email, role, set_key, set_label, user, ctx, error, notes) -> str:
    first = ctx.seen.get((email, set_key))
    if first is not None:
        if first[1] == role:
            notes.append(gettext("Same person and set as row %(row)s: skipped.") % {"row": first[0]})
            return DUPLICATE
        error("role", gettext("Row %(row)s already puts this person in this set as %(role)s.")
              % {"row": first[0], "role": role_name(first[1])})
        return ERROR
    ctx.seen[(email, set_key)] = (row, role)
    if role == Membership.Role.LEARNER:
        placed = ctx.learner_rows.setdefault(email, (row, set_key, set_label))
        if placed[1] != set_key:
            error("set", gettext("Row %(row)s already places this learner in “%(set)s”: a learner belongs to one set "
                                 "per cohort.") % {"row": placed[0], "set": placed[2]})
            return ERROR
    current = ctx.memberships.get(user.pk, {}) if user is not None else {}
    set_id = int(set_key[3:]) if set_key.startswith("id:") else None
    if set_id in current:
        if current[set_id] != role:
            notes.append(role_kept_note(current[set_id]))
        return ALREADY_ENROLLED
    if role == Membership.Role.LEARNER:
        other = [sid for sid, their_role in current.items() if their_role == Membership.Role.LEARNER]
        if other:
            name = next((s.name for s in ctx.sets.values() if s.pk == other[0]), gettext("another set"))
            error("set", gettext("Already a learner in “%(set)s” in this cohort. To change their set, use Move on the "
                                 "set's page.") % {"set": name})
            return ERROR
    return NEW_MEMBERSHIP


def role_name(role: str) -> str:
    """A role as a sentence names it: "a learner", "a facilitator" (translated)."""
    return gettext("a facilitator") if role == Membership.Role.FACILITATOR else gettext("a learner")


def role_kept_note(role: str) -> str:
    """The note on a row whose person is already in the set with another role (lti.roster replaces it)."""
    return gettext("Already %(role)s in this set; their role is not changed.") % {"role": role_name(role)}


def _totals(rows: list[dict]) -> dict:
    counted = [row for row in rows if row["outcome"] in {NEW_MEMBERSHIP, ALREADY_ENROLLED, TO_ALLOCATE}]
    return {
        "rows": len(rows),
        "new_memberships": sum(row["outcome"] == NEW_MEMBERSHIP for row in rows),
        "already_enrolled": sum(row["outcome"] == ALREADY_ENROLLED for row in rows),
        "duplicates": sum(row["outcome"] == DUPLICATE for row in rows),
        "to_allocate": sum(row["outcome"] == TO_ALLOCATE for row in rows),
        "errors": sum(row["outcome"] == ERROR for row in rows),
        "new_users": len({row["email"] for row in counted if row["user"] == "new"}),
        "existing_users": len({row["email"] for row in counted if row["user"] == "existing"}),
        "new_sets": len({row["set_key"] for row in rows if row["outcome"] == NEW_MEMBERSHIP and row["set_is_new"]}),
        "warnings": sum(bool(row["warnings"]) for row in rows),
    }
