"""Names and Role Provisioning: a course's roster into its cohort, through the CSV import's own
preview → commit (enrolment.services), so a sync shows the same preview, runs the same checks, and
is idempotent the same way: people already in the set are "already enrolled", nobody twice.

The roster becomes the rows of an enrolment file — email, name, the course's set, the role
(Instructor and TeachingAssistant → facilitator, Learner → learner) — and the notes say who was
left out and why, and who is in the set through this platform but no longer on the roster.
"""

import csv
import io

from django.db import transaction
from django.utils import timezone
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from accounts.models import User
from actionsets.models import Membership
from enrolment import services as enrolment

from . import library, roles
from .models import Course, Identity

NRPS_VERSIONS = ["2.0"]


class RosterError(Exception):
    pass


def fetch_members(course: Course) -> list[dict]:
    """Every member of the course, following the service's next-page links."""
    if not course.memberships_url:
        raise RosterError("The platform has not sent this course's roster address yet: launch the link once from the course.")
    connector = ServiceConnector(library.registration_for(course.platform))
    service = NamesRolesProvisioningService(connector, {"context_memberships_url": course.memberships_url,
                                                        "service_versions": NRPS_VERSIONS})
    try:
        return service.get_members()
    except Exception as error:  # the platform's answer, whatever it is, is the staff's to see
        raise RosterError(f"The platform's roster service did not answer as expected: {error}") from error


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
            notes.append("Your own address is on the roster and was left out: staff do not join sets.")
        else:
            name = member.get("name") or " ".join(filter(None, [member.get("given_name"), member.get("family_name")]))
            rows.append([member["email"].strip(), name, course.action_set.name, role])
    if skipped["inactive"]:
        notes.append(f"{skipped['inactive']} inactive on the platform: left out.")
    if skipped["no_email"]:
        notes.append(f"{skipped['no_email']} without an email address (the platform hides it): left out.")
    if skipped["other_role"]:
        notes.append(f"{skipped['other_role']} neither instructor, teaching assistant nor learner: left out.")
    left = _left_the_course(course, {str(m.get("user_id")) for m in members if m.get("status", "Active") == "Active"})
    if left:
        notes.append("In the set through this platform but no longer on the roster (remove them on the set's "
                     f"page if they have left): {', '.join(sorted(left))}.")
    return rows, notes


def _left_the_course(course: Course, on_roster: set[str]) -> list[str]:
    current = Membership.objects.current().filter(action_set=course.action_set).values("user_id")
    identities = Identity.objects.filter(platform=course.platform, user_id__in=current).exclude(subject__in=on_roster)
    return list(User.objects.filter(pk__in=identities.values("user_id")).values_list("email", flat=True))


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "display_name", "set", "role"])
    writer.writerows(sorted(rows))  # the same roster is the same file: the import sees it as such
    return out.getvalue().encode()


def preview_sync(*, course: Course, actor, members: list[dict] | None = None):
    """Fetch the roster and store it as an enrolment preview. Nothing is enrolled until commit."""
    if course.cohort is None or course.action_set is None:
        raise RosterError("Choose the set this course's people join first.")
    members = fetch_members(course) if members is None else members
    rows, notes = _rows(course, members, actor)
    with transaction.atomic():
        batch = enrolment.preview_enrolment(cohort=course.cohort, uploaded_by=actor, data=_csv(rows),
                                            filename=f"roster: {course}"[:255], source="lti")
        batch.plan["notes"] = [*batch.plan.get("notes", []), *notes]
        batch.save(update_fields=["plan"])
        Course.objects.filter(pk=course.pk).update(last_synced_at=timezone.now())
    return batch


def scheduled_sync() -> int:
    """The beat task's work: preview and commit each course with the scheduled sync on."""
    done = 0
    for course in Course.objects.filter(scheduled_sync=True, sync_by__isnull=False, action_set__isnull=False,
                                        platform__active=True).select_related("platform", "cohort", "action_set", "sync_by"):
        try:
            batch = preview_sync(course=course, actor=course.sync_by)
            enrolment.commit_enrolment(batch=batch, actor=course.sync_by)
        except Exception:  # one course's failure must not stop the others
            library.log.exception("LTI roster sync failed for course %s", course.pk)
            continue
        done += 1
    return done
