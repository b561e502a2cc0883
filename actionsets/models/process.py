"""The set process beyond airtimes: check-ins, process reviews, the private journal, versioned
ground rules, introductions, the ending evaluation and the process-steward rota.

Imported by actionsets/models/__init__.py so Django registers them with the `actionsets` app. Writes go
through actionsets/services/process.py and services/lifecycle.py, never save() side effects.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.db.models import Q
from django.utils import timezone

ENERGY_CHOICES = [(n, str(n)) for n in range(1, 6)]


class CheckIn(models.Model):
    """How I'm arriving in this round: one per member per round (editable)."""

    round = models.ForeignKey("actionsets.Round", on_delete=models.CASCADE, related_name="check_ins")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    energy = models.PositiveSmallIntegerField(null=True, blank=True, choices=ENERGY_CHOICES)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "author"], name="one_check_in_per_member_per_round"),
            models.CheckConstraint(condition=Q(energy__isnull=True) | Q(energy__gte=1, energy__lte=5),
                                   name="check_in_energy_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Check-in by {self.author} in round {self.round_id}"


class ProcessReview(models.Model):
    """A member's short review of how the set worked this round (the facilitator summarises)."""

    round = models.ForeignKey("actionsets.Round", on_delete=models.CASCADE, related_name="process_reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what_worked = models.TextField()
    do_differently = models.TextField(blank=True)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["round", "author"], name="one_review_per_member_per_round")]

    def __str__(self) -> str:
        return f"Process review by {self.author} in round {self.round_id}"


class JournalEntry(models.Model):
    """A member's private reflective writing. Only its author ever reads it: not the facilitator,
    not staff (actionsets/permissions.get_journal_entry_or_404)."""

    class Level(models.TextChoices):
        # Reflective-writing levels, after Hatton & Smith and Moon (docs/set-process.md).
        DESCRIBE = "describe", _("Describe: what happened?")
        REFLECT = "reflect", _("Reflect: why, and what did I feel and assume?")
        PERSPECTIVES = "perspectives", _("Other perspectives: how might others see it?")
        CONTEXT = "context", _("Wider context: what does it say about my practice, my organisation?")

    action_set = models.ForeignKey("actionsets.ActionSet", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    airtime = models.ForeignKey(
        "actionsets.Airtime", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.DESCRIBE)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Set by services.files: the journal page looks files up only for entries that have them.
    has_files = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["author", "action_set", "created_at"])]

    def __str__(self) -> str:
        return f"Journal entry {self.pk}"  # never the title: it is private


class GroundRulesVersion(models.Model):
    """One version of a set's ground rules. Versions are never edited: a change is a new version,
    proposed while the rules are open for (re)negotiation and adopted by the facilitator."""

    action_set = models.ForeignKey("actionsets.ActionSet", on_delete=models.CASCADE, related_name="rules_versions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    text_html = models.TextField(editable=False)
    note = models.CharField(max_length=300, blank=True, help_text="What changed and why.")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["action_set", "number"]
        constraints = [models.UniqueConstraint(fields=["action_set", "number"], name="rules_version_unique_in_set")]

    def __str__(self) -> str:
        return f"Ground rules v{self.number}"


class Introduction(models.Model):
    """Who I am and what I bring: written while the set is forming."""

    action_set = models.ForeignKey("actionsets.ActionSet", on_delete=models.CASCADE, related_name="introductions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["action_set", "author"], name="one_introduction_per_member")]

    def __str__(self) -> str:
        return f"Introduction by {self.author}"


class SetEvaluation(models.Model):
    """A member's final review and evaluation while the set is ending."""

    class Choice(models.TextChoices):
        CONTINUE = "continue", _("Continue as we are")
        RECONTRACT = "recontract", _("Re-contract: continue with changed ground rules")
        CLOSE = "close", _("Close the set")

    action_set = models.ForeignKey("actionsets.ActionSet", on_delete=models.CASCADE, related_name="evaluations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    usefulness = models.PositiveSmallIntegerField(choices=ENERGY_CHOICES)
    learned = models.TextField()
    process = models.TextField(blank=True)
    preference = models.CharField(max_length=10, choices=Choice.choices)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["action_set", "author"], name="one_evaluation_per_member")]

    def __str__(self) -> str:
        return f"Evaluation by {self.author}"


class StewardRota(models.Model):
    """The order in which learners take the process-steward role in a self-managed set: the
    steward of round n is rota[(n - set.self_managed_from_round) mod len(rota)]."""

    action_set = models.ForeignKey("actionsets.ActionSet", on_delete=models.CASCADE, related_name="steward_rota")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["action_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["action_set", "position"], name="steward_position_unique"),
            models.UniqueConstraint(fields=["action_set", "user"], name="steward_once_in_rota"),
        ]

    def __str__(self) -> str:
        return f"Steward {self.position} in set {self.action_set_id}"
