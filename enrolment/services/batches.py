"""Enrolment from a file: preview (parse + validate + store the plan) and commit (apply it).

Commit applies every valid row in one transaction with bulk inserts, so its query count does
not grow with the number of rows (on PostgreSQL; SQLite caps a statement at 999 parameters,
so Django splits large bulk inserts there). Invitation emails go out after the commit.
"""

import hashlib
import re
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from accounts.models import User
from actionsets.models import ActionSet, Cohort, Membership
from actionsets.models import ModerationAction
from actionsets.handles import fill_handles
from actionsets import services as set_services
from actionsets.services import memberships_created

from .. import csvfile, planning
from ..invitations import queue_invitation_email
from ..models import Allocation, CohortPerson, EnrolmentBatch, Invitation
from .cohorts import change_roles


def _parse(data: bytes) -> csvfile.ParsedFile:
    return csvfile.parse(data, max_bytes=settings.ENROLMENT_MAX_UPLOAD_BYTES, max_rows=settings.ENROLMENT_MAX_ROWS)


def plan_file(*, cohort: Cohort, data: bytes, create_sets: bool, allocate_later: bool = False) -> dict:
    """Parse and validate a file against the cohort. Writes nothing (the command's dry run)."""
    parsed = _parse(data)
    plan = None
    if not parsed.errors:
        plan = planning.plan_rows(cohort=cohort, records=parsed.records, create_sets=create_sets,
                                  columns=parsed.columns, allocate_later=allocate_later)
    earlier = (
        EnrolmentBatch.objects.filter(cohort=cohort, content_hash=hashlib.sha256(data).hexdigest(),
                                      status=EnrolmentBatch.Status.COMMITTED)
        .select_related("committed_by").order_by("-committed_at").first()
    )
    return {
        "rows": plan.rows if plan else [],
        "totals": plan.totals if plan else {},
        "columns": parsed.columns,
        "file_errors": [problem.as_dict() for problem in parsed.errors],
        "notes": parsed.notes,
        "blank_rows": parsed.blank_rows,
        "encoding": parsed.encoding,
        "delimiter": parsed.delimiter_name if parsed.encoding else "",
        "same_file_committed": (
            {"batch": earlier.pk, "at": earlier.committed_at.isoformat(), "by": earlier.committed_by.email}
            if earlier else None
        ),
    }


@transaction.atomic
def preview_enrolment(
    *, cohort: Cohort, uploaded_by, data: bytes, filename: str = "", create_sets: bool = False, source: str = "upload",
    allocate_later: bool = False,
) -> EnrolmentBatch:
    """Validate an uploaded file and keep the parsed rows in a batch. The only row written is
    the batch itself: no user, set, membership or email until the admin commits."""
    plan = plan_file(cohort=cohort, data=data, create_sets=create_sets, allocate_later=allocate_later)
    return EnrolmentBatch.objects.create(
        cohort=cohort, uploaded_by=uploaded_by, filename=filename[:255], source=source,
        content_hash=hashlib.sha256(data).hexdigest(), encoding=plan["encoding"], delimiter=plan["delimiter"],
        create_sets=create_sets, allocate_later=allocate_later, plan=plan,
    )


def unique_slugs(cohort: Cohort, names: dict[str, str]) -> dict[str, str]:
    """A free slug for each new set name: `name`, else `cohort-name`, else numbered."""
    bases = {key: (slugify(name)[:60] or "set") for key, name in names.items()}
    query = Q()
    for base in bases.values():
        query |= Q(slug__startswith=base) | Q(slug__startswith=f"{cohort.slug}-{base}"[:70])
    taken = set(ActionSet.objects.filter(query).values_list("slug", flat=True))
    slugs = {}
    for key, base in bases.items():
        candidates = [base, f"{cohort.slug}-{base}"[:70]] + [f"{cohort.slug}-{base}"[:70] + f"-{n}" for n in range(2, 1000)]
        slugs[key] = next(slug for slug in candidates if slug not in taken)
        taken.add(slugs[key])
    return slugs


def _create_sets(cohort: Cohort, plan: planning.Plan, rows: list[dict], now: datetime) -> dict[str, ActionSet]:
    sets = dict(plan.sets_by_key)
    wanted = {row["set_key"]: plan.new_sets[row["set_key"]] for row in rows if row["set_is_new"]}
    if wanted:
        slugs = unique_slugs(cohort, wanted)
        created = ActionSet.objects.bulk_create(
            [ActionSet(cohort=cohort, name=name, slug=slugs[key], created_at=now) for key, name in wanted.items()]
        )
        sets.update(zip(wanted, created))
    return sets


def _create_users(plan: planning.Plan, rows: list[dict], now: datetime) -> dict[str, User]:
    users = dict(plan.users_by_email)
    new: dict[str, User] = {}
    for row in rows:
        if row["user"] == "new" and row["email"] not in new:
            new[row["email"]] = User(
                email=row["email"], display_name=row["display_name"], timezone=row["timezone"] or "UTC",
                password=make_password(None), date_joined=now,  # unusable until the invitation is accepted
            )
    if new:
        users.update(zip(new, User.objects.bulk_create(list(new.values()))))
    return users


def _log_rows(actor, batch: EnrolmentBatch, memberships: list[Membership], new_sets: list[ActionSet], now) -> list:
    logs = [
        ModerationAction(actor=actor, action_set=s, action=ModerationAction.Action.CREATE_SET, target_type="actionset",
                         target_id=s.pk, detail={"batch": batch.pk}, created_at=now)
        for s in new_sets
    ]
    logs += [
        ModerationAction(actor=actor, action_set=m.action_set, action=ModerationAction.Action.ADD_MEMBER,
                         target_type="membership", target_id=m.pk, detail={"batch": batch.pk, "role": m.role},
                         created_at=now)
        for m in memberships
    ]
    logs.append(ModerationAction(actor=actor, action=ModerationAction.Action.ENROL_BATCH, target_type="enrolmentbatch",
                                 target_id=batch.pk, detail={"cohort": batch.cohort_id, "added": len(memberships)},
                                 created_at=now))
    return logs


def _keep_roster(batch: EnrolmentBatch, plan: planning.Plan, users: dict[str, User], now: datetime) -> None:
    """Everyone the file enrols (or re-lists) is on the cohort's roster with what allocation reads.
    A column the file does not have leaves what an earlier file said."""
    rows = [row for row in plan.rows if row["outcome"] in planning.ROSTER_OUTCOMES and row["email"] in users]
    if not rows:
        return
    given = [column for column in csvfile.ALLOCATION_COLUMNS if column in (batch.plan.get("columns") or {})]
    people = {
        row["email"]: CohortPerson(cohort=batch.cohort, user=users[row["email"]], role=row["role"], batch=batch,
                                   updated_at=now, **{column: row.get(column) or _empty(column) for column in
                                                      csvfile.ALLOCATION_COLUMNS})
        for row in rows
    }
    CohortPerson.objects.bulk_create(list(people.values()), update_conflicts=True, unique_fields=["cohort", "user"],
                                     update_fields=["role", "batch", "updated_at", *given])


def _empty(column: str):
    return [] if column in ("must_not_share", "requested") else ""


def _current(batch: EnrolmentBatch, ids) -> dict[int, Membership]:
    found = Membership.objects.current().filter(pk__in=ids, action_set__cohort=batch.cohort).select_for_update(of=("self",))
    return {m.pk: m for m in found.select_related("user")}


def _apply_roster_changes(batch: EnrolmentBatch, actor, now: datetime) -> dict:
    """A roster sync's batch (lti.roster) also lists who left and whose role changed, by membership.
    Commit applies what is still true now, through the same services as the set's page (removal,
    role change: logged and announced as those are). Queries: constant, whatever their number."""
    leaving = batch.plan.get("leaving") or []
    changing = batch.plan.get("role_changes") or []
    if not (leaving or changing):
        return {}
    current = _current(batch, [entry["membership"] for entry in leaving + changing])
    removed = set_services.remove_members(
        memberships=[current[e["membership"]] for e in leaving if e["membership"] in current], actor=actor,
        reason=gettext("No longer on the course roster (learning platform sync)."), now=now)
    wanted = [(current[e["membership"]], e["role"]) for e in changing
              if e["membership"] in current and current[e["membership"]].role == e["before"]]
    own = [m for m, role in wanted if m.user_id == actor.pk and role == Membership.Role.FACILITATOR]
    # A learner belongs to one set per cohort: a facilitator who is a learner in another set stays facilitator.
    demoting = [m for m, role in wanted if role == Membership.Role.LEARNER]
    elsewhere = set(Membership.objects.current().filter(
        action_set__cohort=batch.cohort, role=Membership.Role.LEARNER, user_id__in=[m.user_id for m in demoting],
    ).exclude(pk__in=[m.pk for m in demoting]).values_list("user_id", flat=True)) if demoting else set()
    kept = [m for m in demoting if m.user_id in elsewhere]
    changed = []
    for role in planning.ROLES:
        changed += change_roles(actor=actor, role=role, now=now,
                                memberships=[m for m, r in wanted if r == role and m not in own and m not in kept])
    return {"left": [m.user.email for m in removed], "role_changed": [m.user.email for m in changed],
            "role_not_changed": [m.user.email for m in own],
            "learner_elsewhere": [m.user.email for m in kept]}


@transaction.atomic
def commit_enrolment(*, batch: EnrolmentBatch, actor, now: datetime | None = None) -> EnrolmentBatch:
    """Apply every valid row of a previewed batch, all or nothing. Committing twice is a no-op."""
    now = now or timezone.now()
    batch = EnrolmentBatch.objects.select_for_update().select_related("cohort").get(pk=batch.pk)
    if batch.is_committed:
        return batch
    if batch.cohort.archived:
        raise ValidationError(gettext("This cohort is archived: restore it before enrolling people."))
    if batch.plan.get("file_errors"):
        raise ValidationError(gettext("This file could not be read, so there is nothing to commit. Fix it and upload it again."))
    plan = planning.plan_rows(cohort=batch.cohort, records=batch.plan["rows"], create_sets=batch.create_sets,
                              columns=batch.plan.get("columns"), allocate_later=batch.allocate_later)
    rows = plan.rows_to_apply()
    unplaced = plan.rows_to_allocate()
    own = [row["row"] for row in rows + unplaced if row["email"].casefold() == (actor.email or "").casefold()]
    if own:
        # Staff do not enrol themselves: membership would show them the set's content.
        raise ValidationError(gettext("Row %(row)s: that is your own address. Staff can't enrol themselves in a set "
                                      "(members read its content); ask another administrator.") % {"row": own[0]})
    sets = _create_sets(batch.cohort, plan, rows, now)
    users = _create_users(plan, rows + unplaced, now)
    _keep_roster(batch, plan, users, now)
    memberships = [
        Membership(user=users[row["email"]], action_set=sets[row["set_key"]], role=row["role"], joined_at=now)
        for row in rows
    ]
    fill_handles(memberships)  # written by the insert itself: one query, not an update afterwards
    memberships = Membership.objects.bulk_create(memberships)
    memberships_created(memberships=memberships)
    invitations = Invitation.objects.bulk_create(
        [Invitation(membership=m, batch=batch, created_by=actor, created_at=now) for m in memberships]
    )
    new_sets = [sets[key] for key in dict.fromkeys(row["set_key"] for row in rows if row["set_is_new"])]
    ModerationAction.objects.bulk_create(_log_rows(actor, batch, memberships, new_sets, now))
    changes = _apply_roster_changes(batch, actor, now)
    batch.status, batch.committed_at, batch.committed_by = EnrolmentBatch.Status.COMMITTED, now, actor
    batch.result = {
        **plan.totals, "applied_rows": [row["row"] for row in rows], "created_sets": [s.name for s in new_sets],
        "to_allocate_rows": [row["row"] for row in unplaced],
        "changed_since_preview": plan.totals != batch.plan.get("totals"),
        **changes,
    }
    batch.save(update_fields=["status", "committed_at", "committed_by", "result"])
    queue_invitation_email(invitation_ids=[i.pk for i in invitations])
    return batch


@transaction.atomic
def enrol_person(
    *, cohort: Cohort, actor, email: str, display_name: str, set_name: str, role: str, timezone_name: str = "",
) -> EnrolmentBatch:
    """Add one person by hand: the same checks and the same commit as a one-row file."""
    record = {"row": 1, "values": {"email": email, "display_name": display_name, "set": set_name, "role": role,
                                   "timezone": timezone_name}, "warnings": [], "parse_errors": []}
    plan = planning.plan_rows(cohort=cohort, records=[record], create_sets=False)
    row = plan.rows[0]
    if row["outcome"] == planning.ERROR:
        raise ValidationError({_field(e["column"]): e["message"] for e in row["errors"]})
    if row["outcome"] == planning.ALREADY_ENROLLED:
        raise ValidationError(gettext("%(email)s is already enrolled in %(set)s.")
                              % {"email": email, "set": row["set_label"]})
    batch = EnrolmentBatch.objects.create(
        cohort=cohort, uploaded_by=actor, source="manual", filename=f"added by hand: {row['email']}",
        content_hash=hashlib.sha256(repr(sorted(record["values"].items())).encode()).hexdigest(),
        plan={"rows": [record], "totals": plan.totals, "columns": planning.DEFAULT_COLUMNS, "file_errors": []},
    )
    return commit_enrolment(batch=batch, actor=actor)


def _field(column_label: str) -> str:
    name = column_label.split("(")[-1].rstrip(")") if "(" in column_label else column_label
    return {"set": "set_name", "timezone": "timezone_name"}.get(name, name)


def scrub_enrolment_files(*, email: str, replacement: str) -> int:
    """Remove a person's name and address from stored enrolment files, the cohort rosters and
    allocation plans (account deletion): their own rows, and their address in other people's
    must-not-share and requested lists."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    email = email.lower()
    mentioned = re.compile(re.escape(email), re.IGNORECASE)
    changed = 0
    batches = EnrolmentBatch.objects.annotate(text=Cast("plan", TextField())).filter(text__icontains=email)
    for batch in batches.select_for_update():
        for row in batch.plan.get("rows", []):
            if row.get("values", {}).get("email", "").strip().lower() == email:
                row["values"] = {**row["values"], "email": replacement, "display_name": "Former member"}
                row.update(email=replacement if row.get("email") else "", display_name="Former member")
            for column in csvfile.ALLOCATION_COLUMNS[2:]:
                if column in row.get("values", {}):
                    row["values"][column] = mentioned.sub(replacement, row["values"][column])
                if isinstance(row.get(column), list):
                    row[column] = [replacement if a.lower() == email else a for a in row[column]]
        batch.filename = batch.filename.replace(email, replacement)
        batch.save(update_fields=["plan", "filename"])
        changed += 1
    CohortPerson.objects.filter(Q(user__email__iexact=email) | Q(user__email__iexact=replacement)).delete()
    lists = CohortPerson.objects.annotate(not_with=Cast("must_not_share", TextField()), wanted=Cast("requested", TextField()))
    for person in lists.filter(Q(not_with__icontains=email) | Q(wanted__icontains=email)):
        person.must_not_share = [a for a in person.must_not_share if a.lower() != email]
        person.requested = [a for a in person.requested if a.lower() != email]
        person.save(update_fields=["must_not_share", "requested"])
    for allocation in Allocation.objects.annotate(text=Cast("plan", TextField())).filter(text__icontains=email):
        for person in allocation.plan.get("people", {}).values():
            if person.get("email", "").lower() == email:
                name = person["name"]
                person.update(email=replacement, name="Former member")
                for found in allocation.plan.get("unmet", []) + allocation.plan.get("diagnosis", []):
                    found["message"] = found["message"].replace(name, "Former member")
        allocation.save(update_fields=["plan"])
    return changed
