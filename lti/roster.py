"""Names and Role Provisioning: a course's roster into its cohort, through the CSV import's own
preview → commit (enrolment.services), so a sync shows the same preview, runs the same checks, and
is idempotent the same way: people already in the set are "already enrolled", nobody twice.

The roster becomes the rows of an enrolment file — email, name, the course's set, the role
(Instructor and TeachingAssistant → facilitator, Learner → learner) — and the notes say who was
left out and why. The preview also lists who is in the set through this platform but no longer on
the roster (commit ends their membership) and whose role changed (commit applies it).
"""

import csv
import io

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from actionsets.models import Membership
from enrolment import planning, services as enrolment

from . import library, roles
from .models import Course, Identity

NRPS_VERSIONS = ["2.0"]


class RosterError(Exception):
    pass


def fetch_members(course: Course) -> list[dict]:
    """Every member of the course, following the service's next-page links."""
    if not course.memberships_url:
        raise RosterError(gettext("The platform has not sent this course's roster address yet: launch the link once "
                                  "from the course."))
    connector = ServiceConnector(library.registration_for(course.platform))
    service = NamesRolesProvisioningService(connector, {"context_memberships_url": course.memberships_url,
                                                        "service_versions": NRPS_VERSIONS})
    try:
        return service.get_members()
    except Exception as error:  # the platform's answer, whatever it is, is the staff's to see
        raise RosterError(gettext("The platform's roster service did not answer as expected: %(error)s")
                          % {"error": error}) from error


def _rows(course: Course, members: list[dict], actor) -> tuple[list[list[str]], list[str]]:
    rows, notes = [], []
    skipped = {"inactive": 0, "no_email": 0, "other_role": 0}
    for member in members:
        role = roles.course_role(member.get("roles"))
        if member.get("status", "Active") != "Active":
            skipped["inactive"] += 1
        elif not member.get("email"):
            skipped["no_email"] += 1
        elif role is None:
            skipped["other_role"] += 1
        elif actor is not None and member["email"].strip().lower() == (actor.email or "").lower():
            notes.append(gettext("Your own address is on the roster and was left out: staff do not join sets."))
        else:
            name = member.get("name") or " ".join(filter(None, [member.get("given_name"), member.get("family_name")]))
            rows.append([member["email"].strip(), name, course.action_set.name, role])
    if skipped["inactive"]:
        notes.append(ngettext("%(count)s inactive on the platform: left out.",
                              "%(count)s inactive on the platform: left out.", skipped["inactive"])
                     % {"count": skipped["inactive"]})
    if skipped["no_email"]:
        notes.append(ngettext("%(count)s without an email address (the platform hides it): left out.",
                              "%(count)s without an email address (the platform hides it): left out.",
                              skipped["no_email"]) % {"count": skipped["no_email"]})
    if skipped["other_role"]:
        notes.append(ngettext("%(count)s neither instructor, teaching assistant nor learner: left out.",
                              "%(count)s neither instructor, teaching assistant nor learner: left out.",
                              skipped["other_role"]) % {"count": skipped["other_role"]})
    return rows, notes


def _role_label(role: str) -> str:
    """learner → "learner", as the set's page names the role, in the active language."""
    return str(Membership.Role(role).label).lower() if role in Membership.Role.values else role


def _changes(course: Course, members: list[dict], rows: list[list[str]]) -> tuple[list[dict], list[dict]]:
    """Who is in the course's set through this platform but no longer (actively) on the roster, and
    whose role on the roster differs from their role in the set. Two queries, whatever the size."""
    on_roster = {str(m.get("user_id")) for m in members if m.get("status", "Active") == "Active"}
    role_on_roster = {row[0].lower(): row[3] for row in rows}
    # A researcher is the set facilitator's grant, not the platform's: the roster never moves them (issue 17).
    current = list(Membership.objects.current().filter(action_set=course.action_set)
                   .exclude(role=Membership.Role.RESEARCHER).values("pk", "user_id", "role", "user__email", "user__display_name"))
    linked = set(Identity.objects.filter(platform=course.platform, user_id__in=[m["user_id"] for m in current])
                 .exclude(subject__in=on_roster).values_list("user_id", flat=True))
    leaving, changing = [], []
    for m in sorted(current, key=lambda m: m["user__email"].lower()):
        person = {"membership": m["pk"], "email": m["user__email"], "name": m["user__display_name"],
                  "set": course.action_set.name}
        role = role_on_roster.get(m["user__email"].lower())
        if m["user_id"] in linked and role is None:
            leaving.append(person)
        elif role is not None and role != m["role"]:
            changing.append({**person, "before": m["role"], "role": role})
    return leaving, changing


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "display_name", "set", "role"])
    writer.writerows(sorted(rows))  # the same roster is the same file: the import sees it as such
    return out.getvalue().encode()


def _note_role_changes(rows: list[dict], changing: list[dict]) -> None:
    """The import's own note says an enrolled person's role is not changed; this commit changes it."""
    roles_now = {person["email"].lower(): person for person in changing}
    for row in rows:
        if row.get("email") in roles_now:
            person = roles_now[row["email"]]
            kept = planning.role_kept_note(person["before"])
            row["notes"] = [note for note in row.get("notes", []) if note != kept]
            row["notes"].append(gettext("Role changed on the platform: becomes %(role)s on commit.")
                                % {"role": _role_label(person["role"])})


def preview_sync(*, course: Course, actor, members: list[dict] | None = None, apply_changes: bool = True):
    """Fetch the roster and store it as an enrolment preview. Nothing changes until commit; the
    commit then also ends the memberships of who left and applies changed roles (listed in the
    preview). `apply_changes=False` (the scheduled sync) only names them: nobody is removed or
    changes role without staff reading a preview and committing it."""
    if course.cohort is None or course.action_set is None:
        raise RosterError(gettext("Choose the set this course's people join first."))
    members = fetch_members(course) if members is None else members
    rows, notes = _rows(course, members, actor)
    leaving, changing = _changes(course, members, rows)
    if not apply_changes and (leaving or changing):
        changes = "; ".join(
            [gettext("%(email)s is no longer on the roster") % {"email": p["email"]} for p in leaving]
            + [gettext("%(email)s is %(role)s on the roster, %(before)s in the set")
               % {"email": p["email"], "role": _role_label(p["role"]), "before": _role_label(p["before"])}
               for p in changing])
        notes.append(gettext("Not applied by the scheduled sync (fetch and preview the course to apply them): "
                             "%(changes)s.") % {"changes": changes})
    with transaction.atomic():
        batch = enrolment.preview_enrolment(cohort=course.cohort, uploaded_by=actor, data=_csv(rows),
                                            filename=f"roster: {course}"[:255], source="lti")
        batch.plan["notes"] = [*batch.plan.get("notes", []), *notes]
        if apply_changes:
            batch.plan.update(leaving=leaving, role_changes=changing)
            _note_role_changes(batch.plan["rows"], changing)
        batch.save(update_fields=["plan"])
        Course.objects.filter(pk=course.pk).update(last_synced_at=timezone.now())
    return batch


def scheduled_sync() -> int:
    """The beat task's work: preview and commit each course with the scheduled sync on. It enrols who
    is new; who left and changed roles are only named in the batch's notes (preview_sync)."""
    done = 0
    for course in Course.objects.filter(scheduled_sync=True, sync_by__isnull=False, action_set__isnull=False,
                                        platform__active=True).select_related("platform", "cohort", "action_set", "sync_by"):
        try:
            with translation.override(course.sync_by.language or settings.LANGUAGE_CODE):  # the notes are for them
                batch = preview_sync(course=course, actor=course.sync_by, apply_changes=False)
                enrolment.commit_enrolment(batch=batch, actor=course.sync_by)
        except Exception:  # one course's failure must not stop the others
            library.log.exception("LTI roster sync failed for course %s", course.pk)
            continue
        done += 1
    return done
