"""Facilitation: flags and discourse coding. The moderation log lives in actionsets (its services
write it); nudges, digests and the outbox live in engagement."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.db.models import Q
from django.utils import timezone

from actionsets.models import Reply


class Flag(models.Model):
    class Outcome(models.TextChoices):
        KEPT = "kept", _("Kept: no action needed")
        HIDDEN = "hidden", _("Reply hidden")
        EDITED = "edited", _("Reply edited")

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


class CodingSample(models.Model):
    """A fixed sample of a set's replies that chosen coders code blind to each other's codes, for
    inter-coder agreement (docs/research.md, section 2). The replies are drawn once, when the
    sample is made, so it never changes under the coders."""

    class Mode(models.TextChoices):
        ALL = "all", _("Every reply")
        ROUND = "round", _("Every reply of one round")
        RANDOM = "random", _("A random sample of n replies")

    action_set = models.ForeignKey("actionsets.ActionSet", on_delete=models.CASCADE, related_name="coding_samples")
    name = models.CharField(max_length=120)
    scheme = models.ForeignKey(CodingScheme, on_delete=models.PROTECT, related_name="samples")
    mode = models.CharField(max_length=8, choices=Mode.choices)
    round = models.ForeignKey("actionsets.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    size = models.PositiveIntegerField(null=True, blank=True)   # random n
    seed = models.BigIntegerField(null=True, blank=True)        # random: the draw can be repeated
    replies = models.ManyToManyField(Reply, related_name="coding_samples")
    coders = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coding_samples")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class BlindCode(models.Model):
    """One coder's one code for one reply of a sample, unseen by the other coders until they finish."""

    sample = models.ForeignKey(CodingSample, on_delete=models.CASCADE, related_name="codes")
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="+")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    coded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample", "reply", "coder"], name="one_blind_code_per_coder")]


class AgreedCode(models.Model):
    """The code the coders agreed on after discussing, kept apart from each coder's own."""

    sample = models.ForeignKey(CodingSample, on_delete=models.CASCADE, related_name="agreed")
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="+")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample", "reply"], name="one_agreed_code_per_reply")]
