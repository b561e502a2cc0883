"""What members post: airtimes (the thread roots), replies, commitments, read markers and revisions.

Counters and read state are written by `actionsets.services`, never by `save()` or signals."""

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.db.models import Q
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from .sets import ActionSet, Round

# Replies nest at most this deep (0 = a direct reply to the airtime). A reply to a reply at the
# deepest level attaches beside it, keeping `in_reply_to` so nobody loses who answered whom.
MAX_REPLY_DEPTH = 4


# Each materialised-path segment is a fixed-width, zero-padded sequence number within the
# thread. Digits only: ordering by path is then the same under every database collation.
PATH_SEGMENT_WIDTH = 6


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
    # The airtime or one of its replies has files (services.files sets it): the thread page looks
    # files up only then, so a thread without any costs no query for them.
    has_files = models.BooleanField(default=False, editable=False)

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
        QUESTION = "question", _("Question")  # from before phases: kept readable, no longer offered
        REFLECTION = "reflection", _("Reflection")
        RESPONSE = "response", _("Response")
        SUMMARY = "summary", _("Summary")  # the presenter's "what I now see differently"
        CLARIFYING = "clarifying", _("Clarifying question")
        PROBING = "probing", _("Probing question")
        REFLECT_BACK = "reflect_back", _("Reflect-back")
        OFFER = "offer", _("Offer")
        ACTION = "action", _("Action commitment")
        PROCESS_NOTE = "process_note", _("Process note")

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
        OPEN = "open", pgettext_lazy("commitment status", "Open")
        DONE = "done", pgettext_lazy("commitment status", "Done")
        CHANGED = "changed", pgettext_lazy("commitment status", "Changed")
        DROPPED = "dropped", pgettext_lazy("commitment status", "Dropped")
        PARTLY = "partly", pgettext_lazy("commitment status", "Partly done")
        NOT_DONE = "not_done", pgettext_lazy("commitment status", "Not done")

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


class HelpfulMark(models.Model):
    """The presenter's own evidence: "this question helped me see my issue differently".

    Only the presenter of the airtime marks, only questions and reflect-backs others asked on it,
    one mark per reply, undone by deleting it. The optional `why` is private to the presenter and
    the facilitators unless the presenter shares it with the set; the asker always sees that their
    question helped (their continuity view). Peers never see counts: it is not a popularity contest.
    """

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Only me and the facilitators")
        SET = "set", _("The whole set")

    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="helpful_mark")
    presenter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    why = models.CharField(max_length=300, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Reply {self.reply_id} helped the presenter"

    @property
    def shared(self) -> bool:
        return self.visibility == self.Visibility.SET
