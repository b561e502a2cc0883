"""Enrolment: uploaded cohort files and the invitations they send.

An EnrolmentBatch holds the parsed rows of one upload (never the file itself), so the admin
commits exactly what they previewed. An Invitation belongs to one membership; its link is a
signed, expiring token over a random key, single-use once accepted.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from actionsets.models import Cohort, Membership


def new_invitation_key() -> str:
    return secrets.token_urlsafe(24)


class Committable(models.Model):
    """What a stored plan that staff preview and then commit has: its status, who committed it
    and when, and what committing did (EnrolmentBatch, Allocation)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        COMMITTED = "committed", "Committed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What committing did: counts and the ids it created.
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    @property
    def is_committed(self) -> bool:
        return self.status == self.Status.COMMITTED


class EnrolmentBatch(Committable):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolment_batches")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=12, default="upload", help_text="upload, command or manual")
    content_hash = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the uploaded bytes")
    encoding = models.CharField(max_length=80, blank=True)
    delimiter = models.CharField(max_length=24, blank=True)
    create_sets = models.BooleanField(default=False)
    # An empty set cell is allowed: the person joins the cohort's roster (CohortPerson) to be allocated.
    allocate_later = models.BooleanField(default=False)
    # The validated plan: {"rows": [...], "file_errors": [...], "notes": [...], "totals": {...}}.
    plan = models.JSONField(default=dict)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name_plural = "enrolment batches"
        indexes = [models.Index(fields=["cohort", "content_hash"])]

    def __str__(self) -> str:
        return f"{self.filename or 'enrolment'} → {self.cohort} ({self.status})"

    @property
    def totals(self) -> dict:
        return self.plan.get("totals", {})


class Invitation(models.Model):
    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="invitation")
    key = models.CharField(max_length=64, unique=True, default=new_invitation_key)
    batch = models.ForeignKey(
        EnrolmentBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for membership {self.membership_id}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None


class CohortPerson(models.Model):
    """Someone enrolled in a cohort, with what allocation reads about them: the enrolment file's
    extra columns. A learner may be here with no set yet (an empty set cell, "allocate later").

    `must_not_share` is staff-only: it names people this person must not share a set with (line
    managers, conflicts). It is shown on /manage/ pages only, never to learners or facilitators.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="roster")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=12, choices=Membership.ENROLLED_ROLES, default=Membership.Role.LEARNER)
    department = models.CharField(max_length=120, blank=True)
    organisation = models.CharField(max_length=120, blank=True)
    must_not_share = models.JSONField(default=list, blank=True, help_text="Email addresses. Staff only.")
    requested = models.JSONField(default=list, blank=True, help_text="Email addresses they asked to share a set with.")
    batch = models.ForeignKey(EnrolmentBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="one_roster_row_per_cohort")]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort} ({self.role})"


class Allocation(Committable):
    """A proposed allocation of a cohort's learners into new sets: previewed, adjusted by hand,
    then committed (sets, memberships and invitations in one transaction), like EnrolmentBatch."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="allocations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # {"size", "span_hours", "scope", "facilitators_per_set", "time_limit"}
    options = models.JSONField(default=dict)
    # {"sets": [{"learners": [ids], "facilitators": [ids]}], "people": {id: {...}}, "costs", "unmet",
    #  "diagnosis", "solver", "moves"}
    plan = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Allocation of {self.cohort} ({self.status})"

    @property
    def score(self) -> int:
        return sum(self.plan.get("costs", {}).values())
