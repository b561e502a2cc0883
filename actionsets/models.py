"""The set process: cohorts, sets, memberships, rounds, airtimes, replies, commitments.

Counters and read state are written by `actionsets.services`, never by `save()` or signals.
"""

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, reverse
from django.utils import timezone

# Replies nest at most this deep (0 = a direct reply to the airtime). A reply to a reply at the
# deepest level attaches beside it, keeping `in_reply_to` so nobody loses who answered whom.
MAX_REPLY_DEPTH = 4
# Each materialised-path segment is a fixed-width, zero-padded sequence number within the
# thread. Digits only: ordering by path is then the same under every database collation.
PATH_SEGMENT_WIDTH = 6


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SetState(models.TextChoices):
    FORMING = "forming", "Forming"
    ACTIVE = "active", "Active"
    ENDING = "ending", "Ending"
    CLOSED = "closed", "Closed"


class ActionSet(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="action_sets")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    ground_rules = models.TextField(blank=True)
    ground_rules_html = models.TextField(blank=True, editable=False)
    quiet_after_days = models.PositiveSmallIntegerField(default=4)
    confidential_digests = models.BooleanField(
        default=True, help_text="Digests show titles and counts only, never post text."
    )
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The set's life-cycle (docs/set-process.md). `archived` stays a separate, staff-only switch.
    state = models.CharField(max_length=8, choices=SetState.choices, default=SetState.FORMING)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    # The facilitator's process choices for the whole set (a round may override ask-before-seeing).
    ask_before_seeing = models.BooleanField(
        default=False, help_text="In the clarifying phase, members see others' questions only after asking their own."
    )
    show_who_hasnt_asked = models.BooleanField(
        default=False, help_text="Show every member who has not yet asked the presenter anything (facilitators always see it)."
    )
    # Ground rules are versioned (GroundRulesVersion); this is the version members accept now.
    rules_version = models.ForeignKey(
        "actionsets.GroundRulesVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rules_renegotiation_open = models.BooleanField(default=False)
    # Self-managed: a rotating process steward among the learners takes the facilitator's process
    # prompts (StewardRota), starting with this round number.
    self_managed = models.BooleanField(default=False)
    self_managed_from_round = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "action set"

    State = SetState

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actionsets:set_home", kwargs={"set_slug": self.slug})


class MembershipQuerySet(models.QuerySet):
    def current(self) -> "MembershipQuerySet":
        return self.filter(left_at__isnull=True)


class Membership(models.Model):
    class Role(models.TextChoices):
        LEARNER = "learner", "Learner"
        FACILITATOR = "facilitator", "Facilitator"

    class NotificationLevel(models.TextChoices):
        WATCHING = "watching", "Watching (every new post)"
        NORMAL = "normal", "Normal (digest and nudges)"
        MUTED = "muted", "Muted (no email for this set)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    action_set = models.ForeignKey(ActionSet, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.LEARNER)
    joined_at = models.DateTimeField(default=timezone.now)
    # When a learner was made facilitator (null: joined as one, and `joined_at` says when). The set
    # page and the digests announce every facilitator from this date: members know who reads them.
    facilitator_since = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    ground_rules_accepted_at = models.DateTimeField(null=True, blank=True)
    notification_level = models.CharField(
        max_length=10, choices=NotificationLevel.choices, default=NotificationLevel.NORMAL
    )
    # Which version of the ground rules they accepted (null: accepted before versions existed).
    ground_rules_version = models.ForeignKey(
        "actionsets.GroundRulesVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "action_set"],
                condition=Q(left_at__isnull=True),
                name="one_current_membership_per_set",
            )
        ]
        indexes = [models.Index(fields=["action_set", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.action_set} ({self.role})"

    @property
    def is_current(self) -> bool:
        return self.left_at is None

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR

    @property
    def facilitating_since(self):
        """When they started facilitating this set (None for a learner)."""
        return (self.facilitator_since or self.joined_at) if self.is_facilitator else None

    @property
    def has_accepted_rules(self) -> bool:
        """Accepted the set's current ground rules (its current version, when it has versions)."""
        if self.ground_rules_accepted_at is None:
            return False
        current = self.action_set.rules_version_id
        return current is None or self.ground_rules_version_id == current


class Round(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    DEFAULT_LENGTH_DAYS = 14

    action_set = models.ForeignKey(ActionSet, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    # Airtime phase windows in hours, from the airtime's own start (docs/set-process.md defaults).
    # 0 skips a phase. The facilitator changes them per round.
    clarifying_hours = models.PositiveSmallIntegerField(default=48)
    probing_hours = models.PositiveSmallIntegerField(default=72)
    offers_hours = models.PositiveSmallIntegerField(default=24)
    summary_hours = models.PositiveSmallIntegerField(default=48)
    reflection_hours = models.PositiveSmallIntegerField(default=48)
    # The process review opens this many hours before the round closes.
    review_hours = models.PositiveSmallIntegerField(default=48)
    ask_before_seeing = models.BooleanField(
        null=True, blank=True, help_text="Empty: follow the set's choice."
    )
    review_summary = models.TextField(blank=True)
    review_summary_html = models.TextField(blank=True, editable=False)
    review_summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_summarised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["action_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["action_set", "number"], name="round_number_unique_in_set"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opens"),
        ]
        indexes = [models.Index(fields=["opens_at", "closes_at"])]

    def __str__(self) -> str:
        return f"Round {self.number}"

    def state_at(self, when) -> str:
        if when < self.opens_at:
            return self.State.SCHEDULED
        if when < self.closes_at:
            return self.State.OPEN
        return self.State.CLOSED

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class Airtime(models.Model):
    action_set = models.ForeignKey(ActionSet, on_delete=models.CASCADE, related_name="airtimes")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="airtimes")
    presenter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="airtimes")
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    # Written by the services at save time so the facilitation dashboard can Sum() it.
    word_count = models.PositiveIntegerField(default=0, editable=False)
    locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    # The presenter asked for offers of experience and resources: the offers phase runs.
    offers_welcome = models.BooleanField(default=False)

    class Meta:
        ordering = ["round__number", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "presenter"], name="one_airtime_per_presenter_per_round")
        ]
        indexes = [models.Index(fields=["action_set", "last_activity_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return _thread_url(get_script_prefix(), self.action_set.slug, self.pk)


@lru_cache(maxsize=8192)
def _thread_url(script_prefix: str, set_slug: str, airtime_id: int) -> str:
    # reverse() costs ~50 µs; lists link every airtime on every view (bench/: the set page).
    return reverse("actionsets:thread", kwargs={"set_slug": set_slug, "airtime_id": airtime_id})


class Reply(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", "Question"  # from before phases: kept readable, no longer offered
        REFLECTION = "reflection", "Reflection"
        RESPONSE = "response", "Response"
        SUMMARY = "summary", "Summary"  # the presenter's "what I now see differently"
        CLARIFYING = "clarifying", "Clarifying question"
        PROBING = "probing", "Probing question"
        REFLECT_BACK = "reflect_back", "Reflect-back"
        OFFER = "offer", "Offer"
        ACTION = "action", "Action commitment"
        PROCESS_NOTE = "process_note", "Process note"

    airtime = models.ForeignKey(Airtime, on_delete=models.CASCADE, related_name="replies")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The reply the author answered, when depth forced attaching it higher up.",
        db_index=False,  # led by the (in_reply_to, author) index below
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="replies")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CLARIFYING)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    path = models.CharField(max_length=64, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    # The author was shown the advice nudge and posted anyway: [{"name", "phrase"}]. Facilitators only.
    advice_signal = models.JSONField(default=list, blank=True, editable=False)
    # The advice heuristic (actionsets/advice.py) matches the body. Written at save time, like
    # body_html, so the dashboard counts signals with a plain filter instead of running the word
    # list over every reply on every view; `manage.py recount_advice_signals` refreshes it when
    # the word list changes.
    has_advice_signal = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["airtime", "path"]
        verbose_name_plural = "replies"
        constraints = [models.UniqueConstraint(fields=["airtime", "path"], name="reply_path_unique_in_thread")]
        indexes = [
            models.Index(fields=["airtime", "created_at"]),
            models.Index(fields=["author", "created_at"]),
            # "Has X answered this reply?" (dashboard response rates, waiting replies) asks by both
            # columns; with only single-column indexes SQLite walked all of X's replies per question.
            models.Index(fields=["in_reply_to", "author"], name="reply_answer_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author} on {self.airtime}"

    def get_absolute_url(self) -> str:
        return f"{self.airtime.get_absolute_url()}#reply-{self.pk}"


class ActionCommitment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CHANGED = "changed", "Changed"
        DROPPED = "dropped", "Dropped"
        PARTLY = "partly", "Partly done"
        NOT_DONE = "not_done", "Not done"

    airtime = models.ForeignKey(Airtime, on_delete=models.CASCADE, related_name="commitments")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commitments")
    text = models.CharField(max_length=500)
    due_round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    report_back = models.TextField(blank=True)
    report_back_html = models.TextField(blank=True, editable=False)
    reported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The report-back in the set's own words (docs/set-process.md); `report_back` holds them joined.
    what_happened = models.TextField(blank=True)
    how_differed = models.TextField(blank=True)
    learned = models.TextField(blank=True)
    # The "action commitment" reply it was posted as, when the presenter wrote it in the thread.
    reply = models.OneToOneField(
        "actionsets.Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="commitment"
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ReadMarker(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_markers")
    airtime = models.ForeignKey(Airtime, on_delete=models.CASCADE, related_name="read_markers")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "airtime"], name="one_read_marker_per_thread")]

    def __str__(self) -> str:
        return f"{self.user} read {self.airtime_id} at {self.last_read_at:%Y-%m-%d %H:%M}"


class Revision(models.Model):
    """The body of an airtime or reply as it was before an edit."""

    airtime = models.ForeignKey(Airtime, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-edited_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(airtime__isnull=False, reply__isnull=True) | Q(airtime__isnull=True, reply__isnull=False)),
                name="revision_of_exactly_one_post",
            )
        ]

    def __str__(self) -> str:
        return f"Revision of {'airtime' if self.airtime_id else 'reply'} at {self.edited_at:%Y-%m-%d %H:%M}"


# The set-process models (check-ins, reviews, journal, ground-rules versions, life-cycle) live in
# their own module to keep this one readable; importing them here registers them with the app.
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
        # The set process (actionsets/services/process.py, services/lifecycle.py).
        PROCESS_OPTIONS = "process_options", "Changed the set's process options"
        PHASE_WINDOWS = "phase_windows", "Changed a round's phase windows"
        REVIEW_SUMMARY = "review_summary", "Summarised a process review"
        SET_STATE = "set_state", "Moved the set to a new stage"
        RULES_VERSION = "rules_version", "Adopted a ground-rules version"
        RULES_OPEN = "rules_open", "Opened or closed a ground-rules renegotiation"
        SELF_MANAGED = "self_managed", "Handed the set to self-management"

    action_set = models.ForeignKey(ActionSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # No `choices=` on purpose: the list grows with every new kind of action, and a choice list on
    # the field would make each addition a migration. Action validates in code (log_action).
    action = models.CharField(max_length=20)
    target_type = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "facilitation_moderationaction"  # moved from facilitation; the table kept its name
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["action_set", "created_at"])]

    def get_action_display(self) -> str:
        try:
            return self.Action(self.action).label
        except ValueError:
            return self.action

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display().lower()} ({self.target_type} {self.target_id})"



from .models_process import (  # noqa: E402,F401
    CheckIn,
    GroundRulesVersion,
    Introduction,
    JournalEntry,
    ProcessReview,
    SetEvaluation,
    StewardRota,
)
