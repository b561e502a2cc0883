"""The engagement engine's records: nudges sent, digests delivered, and the email outbox.

These tables were created by the facilitation app and kept their names when the models moved here
(migration 0001 only takes over the state; no data moved).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionsets.models import ActionSet, Airtime


class Nudge(models.Model):
    class Kind(models.TextChoices):
        # Translated: the facilitator's "Do the emails help?" table shows them (engagement/effects.py).
        QUIET_MEMBER = "quiet_member", _("Quiet member")
        QUIET_ESCALATION = "quiet_escalation", _("Quiet member (told the facilitator)")
        UNANSWERED_AIRTIME = "unanswered_airtime", _("Unanswered airtime")
        QUESTIONS_WAITING = "questions_waiting", _("Questions waiting")
        REPORT_BACK_DUE = "report_back_due", _("Report-back due")
        ROUND_CLOSING = "round_closing", _("Round closing in 24 h")
        ROUND_OPEN = "round_open", _("Round open")
        KNOCK = "knock", _("A knock: your set is waiting to hear from you")

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
        db_table = "facilitation_nudge"
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
        db_table = "facilitation_digestdelivery"
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
    # Did the person open the site from this email? Nudges, round emails and digests carry a signed
    # per-email link parameter (`?via=`, engagement/effects.py); the first visit through it is
    # recorded here. No pixels: an email that is only read is not counted.
    link_id = models.CharField(max_length=24, blank=True, db_index=True, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "facilitation_outboundemail"
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_pending_due"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"


class Knock(models.Model):
    """"Your set is waiting to hear from you": asked for by an airtime's presenter (or a facilitator)
    for a member who has not read it after 48 h. At most one per member per airtime. The email is a
    nudge (kind `knock`, period `airtime:<id>`) sent by engagement/knocks.py under the nudge rules:
    never at night, never to someone with reminders off — a knock asked for at night waits for the
    morning's run, and one whose member reads the airtime first is never sent."""

    airtime = models.ForeignKey(Airtime, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    knocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["airtime", "user"], name="one_knock_per_member_per_airtime")]

    def __str__(self) -> str:
        return f"Knock for {self.user} on airtime {self.airtime_id}"


class InboundEmail(models.Model):
    """One email received at a reply address (engagement/inbound): what became of it.

    The unique Message-ID is the guard against posting the same message twice: the row is written
    before anything is posted, so a second delivery of the same message (a retrying mail server,
    two webhooks) finds it and stops.
    """

    class Outcome(models.TextChoices):
        RECEIVED = "received", "Being handled"
        POSTED = "posted", "Posted"
        DRAFT = "draft", "Saved as a draft"
        REFUSED = "refused", "Refused"
        DROPPED = "dropped", "Dropped (automatic mail)"

    message_id = models.CharField(max_length=255, unique=True)
    sender = models.CharField(max_length=254, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.RECEIVED)
    reason = models.CharField(max_length=40, blank=True)
    reply = models.ForeignKey(
        "actionsets.Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return f"{self.message_id} from {self.sender}: {self.outcome}"


class Notification(models.Model):
    """Something on the site for one person (issue 14): shown on /notifications/ and counted in the
    header. `visible_at` empty: the post is not yet one they may see (hidden, or withheld by
    ask-before-you-see) and the notification waits — unlisted, uncounted, unsent — until it is."""

    class Kind(models.TextChoices):
        MENTION = "mention", "Mentioned you"
        REPLY = "reply", "Replied to you"
        QUESTION = "question", "Asked on your airtime"
        MODERATION = "moderation", "A facilitator acted on your post"
        ADDED = "added", "Added you to a set"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    action_set = models.ForeignKey(ActionSet, on_delete=models.CASCADE, related_name="+")
    airtime = models.ForeignKey("actionsets.Airtime", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey("actionsets.Reply", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For a facilitator's action: what they did ("hide", "restore", "lock", "unlock").
    action = models.CharField(max_length=20, blank=True)
    # What the notification is about, once per person: "mention.reply.12.user.3" (idempotent writes).
    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    visible_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(
        "OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    class Meta:
        ordering = ["-visible_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-visible_at"], name="notification_list"),
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True, visible_at__isnull=False),
                         name="notification_unread"),
            models.Index(fields=["airtime"], condition=models.Q(visible_at__isnull=True), name="notification_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user} ({self.key})"
