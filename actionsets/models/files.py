"""Files private to a set: attached to an airtime, a reply or a journal entry (docs/files.md).

The bytes live in the "attachments" storage (settings.STORAGES) under a random key; the name a
member gave the file is kept only for display and downloads, never used as a path. A file the
editor uploaded before its post was saved belongs to no post yet ("pending"): only its uploader
can open it until the post that shows it is saved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .posts import Airtime, Reply
from .process import JournalEntry
from .sets import ActionSet

INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif", "application/pdf"})


class Attachment(models.Model):
    action_set = models.ForeignKey(ActionSet, on_delete=models.CASCADE, related_name="attachments")
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    airtime = models.ForeignKey(Airtime, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    journal_entry = models.ForeignKey(JournalEntry, null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="attachments")
    # In the file's URL: random, unguessable, unique. `key` is where the bytes are in the storage.
    token = models.CharField(max_length=48, unique=True, editable=False)
    key = models.CharField(max_length=100, unique=True, editable=False)
    name = models.CharField(max_length=150)  # sanitised (actionsets/files.py: sanitise_name)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Removed from its post by an edit: no longer listed with the post, still kept (and still opening
    # for the post's readers) with the revision that edit stored, which shows it as the post was.
    removed_at = models.DateTimeField(null=True, blank=True)
    revision = models.ForeignKey("actionsets.Revision", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="removed_files")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                # At most one of the three: two of them are always empty.
                condition=(
                    Q(airtime__isnull=True, reply__isnull=True) | Q(airtime__isnull=True, journal_entry__isnull=True)
                    | Q(reply__isnull=True, journal_entry__isnull=True)
                ),
                name="attachment_of_at_most_one_post",
            ),
        ]
        indexes = [
            models.Index(fields=["action_set", "uploader"]),
            # The sweep of editor uploads no post took (services.files.sweep_pending_uploads).
            models.Index(fields=["created_at"], name="attachment_pending_created",
                         condition=Q(airtime__isnull=True, reply__isnull=True, journal_entry__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pending(self) -> bool:
        return self.airtime_id is None and self.reply_id is None and self.journal_entry_id is None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def inline(self) -> bool:
        """Images and PDFs open in the browser; everything else downloads."""
        return self.content_type in INLINE_TYPES

    def url_for(self, set_slug: str) -> str:
        return reverse("actionsets:file", kwargs={"set_slug": set_slug, "token": self.token})
