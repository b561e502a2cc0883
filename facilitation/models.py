"""Facilitation and engagement: moderation, discourse coding, nudges, digests, the email outbox."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actionsets.models import ActionSet, Reply


class Flag(models.Model):
    class Outcome(models.TextChoices):
        KEPT = "kept", "Kept: no action needed"
        HIDDEN = "hidden", "Reply hidden"
        EDITED = "edited", "Reply edited"

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    resolution_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reply", "flagged_by"], condition=Q(resolved_at__isnull=True), name="one_open_flag_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"Flag on reply {self.reply_id}"


class ModerationAction(models.Model):
    """Append-only log of every facilitator and admin action."""

    class Action(models.TextChoices):
        HIDE = "hide", "Hid a reply"
        RESTORE = "restore", "Restored a reply"
        LOCK = "lock", "Locked an airtime"
        UNLOCK = "unlock", "Unlocked an airtime"
        EDIT = "edit", "Edited a post"
        RESOLVE_FLAG = "resolve_flag", "Resolved a flag"
        REMOVE_MEMBER = "remove_member", "Removed a member"
        MOVE_MEMBER = "move_member", "Moved a member"
        ADD_MEMBER = "add_member", "Added a member"
        SCHEDULE_ROUND = "schedule_round", "Scheduled a round"
        CHANGE_ROUND = "change_round", "Changed a round"
        CLOSE_ROUND = "close_round", "Closed a round early"
        # Staff actions from /manage/ (enrolment app).
        CREATE_COHORT = "create_cohort", "Created a cohort"
        EDIT_COHORT = "edit_cohort", "Edited a cohort"
        ARCHIVE_COHORT = "archive_cohort", "Archived a cohort"
        RESTORE_COHORT = "restore_cohort", "Restored an archived cohort"
        CREATE_SET = "create_set", "Created a set"
        RENAME_SET = "rename_set", "Renamed a set"
        ASSIGN_FACILITATOR = "assign_facilitator", "Assigned a facilitator"
        ENROL_BATCH = "enrol_batch", "Enrolled people from a file"
        RESEND_INVITATION = "resend_invitation", "Resent an invitation"
        FLAG = "flag", "Flagged a reply"
        ANNOTATE = "annotate", "Annotated a reply"
        REMOVE_ANNOTATION = "remove_annotation", "Removed an annotation"
        # The set process (actionsets/services_process.py, services_lifecycle.py).
        PROCESS_OPTIONS = "process_options", "Changed the set's process options"
        PHASE_WINDOWS = "phase_windows", "Changed a round's phase windows"
        REVIEW_SUMMARY = "review_summary", "Summarised a process review"
        SET_STATE = "set_state", "Moved the set to a new stage"
        RULES_VERSION = "rules_version", "Adopted a ground-rules version"
        RULES_OPEN = "rules_open", "Opened or closed a ground-rules renegotiation"
        SELF_MANAGED = "self_managed", "Handed the set to self-management"

    action_set = models.ForeignKey(ActionSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    target_type = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["action_set", "created_at"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display().lower()} ({self.target_type} {self.target_id})"


class CodingScheme(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_scheme")
        ]

    def __str__(self) -> str:
        return self.name


class Code(models.Model):
    scheme = models.ForeignKey(CodingScheme, on_delete=models.CASCADE, related_name="codes")
    slug = models.SlugField(max_length=60)
    label = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "position", "label"]
        constraints = [models.UniqueConstraint(fields=["scheme", "slug"], name="code_slug_unique_in_scheme")]

    def __str__(self) -> str:
        return self.label


class Annotation(models.Model):
    """A facilitator's private discourse code on a reply."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="annotations")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="annotations")
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "code", "facilitator"], name="one_annotation_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} on reply {self.reply_id}"


class Nudge(models.Model):
    class Kind(models.TextChoices):
        QUIET_MEMBER = "quiet_member", "Quiet member"
        QUIET_ESCALATION = "quiet_escalation", "Quiet member (told the facilitator)"
        UNANSWERED_AIRTIME = "unanswered_airtime", "Unanswered airtime"
        QUESTIONS_WAITING = "questions_waiting", "Questions waiting"
        REPORT_BACK_DUE = "report_back_due", "Report-back due"
        ROUND_CLOSING = "round_closing", "Round closing in 24 h"
        ROUND_OPEN = "round_open", "Round open"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges")
    action_set = models.ForeignKey(ActionSet, on_delete=models.CASCADE, related_name="nudges")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What the nudge is about within its kind, e.g. "round:12" or "airtime:345:2026-11-24".
    period = models.CharField(max_length=80)
    about_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="For escalations: the quiet member the facilitator is told about.",
    )
    sent_at = models.DateTimeField(default=timezone.now)
    # The outbox row that carried it (several nudges to one person about one set share an email).
    email = models.ForeignKey(
        "OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="nudges"
    )

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "action_set", "kind", "period"], name="nudge_once_per_period")
        ]
        indexes = [models.Index(fields=["action_set", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user} ({self.period})"


class DigestDelivery(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries")
    frequency = models.CharField(max_length=8)
    period_start = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    # 0 with no email: the period was evaluated and had nothing new (see docs/engagement.md).
    item_count = models.PositiveIntegerField(default=0)
    email = models.OneToOneField(
        "OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="digest_delivery"
    )

    class Meta:
        verbose_name_plural = "digest deliveries"
        constraints = [
            models.UniqueConstraint(fields=["user", "frequency", "period_start"], name="digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.frequency} digest for {self.user} from {self.period_start:%Y-%m-%d}"


class OutboundEmail(models.Model):
    """The outbox: written in the same transaction as the decision to send."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    to = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    category = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Not before this time: set by the backoff after a failed attempt; the sweep honours it.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_pending_due"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"
