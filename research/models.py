"""Research studies registered on a cohort, and each member's consent per set (docs/research.md)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from actionsets.models import ActionSet, Cohort


def _new_salt() -> str:
    return secrets.token_hex(32)


class Study(models.Model):
    """A research study on a cohort. Members see it in each of their sets and opt in or out at any
    time. Changing the information sheet raises its version: consent given to an older version no
    longer counts for an export until the member agrees again."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="studies")
    title = models.CharField(max_length=200)
    ethics_reference = models.CharField(max_length=120)
    information_sheet = models.TextField()
    information_sheet_html = models.TextField(editable=False)
    sheet_version = models.PositiveIntegerField(default=1)
    contact = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The key of the study's pseudonyms (HMAC): stable within the study, unlinkable across studies.
    # Never shown, never exported.
    pseudonym_key = models.CharField(max_length=64, default=_new_salt, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "studies"

    def __str__(self) -> str:
        return self.title


class ConsentDecision(models.Model):
    """One member's opt-in or opt-out for one study in one set, with the information sheet's
    version they read. Append-only: the latest decision counts, the earlier ones are the record."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="decisions")
    action_set = models.ForeignKey(ActionSet, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    consented = models.BooleanField()
    sheet_version = models.PositiveIntegerField()
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]
        indexes = [models.Index(fields=["study", "action_set", "user", "decided_at"])]

    def __str__(self) -> str:
        return f"{'Consent' if self.consented else 'No consent'} to study {self.study_id} (v{self.sheet_version})"


class SheetVersion(models.Model):
    """Every version of a study's information sheet, kept: members and exports can say exactly what
    a consent was given against (docs/research.md). Version 1 is written at registration."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="sheet_versions")
    version = models.PositiveIntegerField()
    information_sheet = models.TextField()
    information_sheet_html = models.TextField(editable=False)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["study", "-version"]
        constraints = [models.UniqueConstraint(fields=["study", "version"], name="research_sheet_version_unique")]

    def __str__(self) -> str:
        return f"{self.study} v{self.version}"
