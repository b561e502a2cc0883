"""Drafts: what a member is writing and has not posted yet, saved as they write (issue 14, part 3).

One draft per person and place: a reply to an airtime (`airtime`, no `parent`), a reply to a
reply (`airtime` + `parent`, the post answered), or an airtime (`round`, no `airtime`). Every
draft names its round, so drafts are purged 30 days after their round closes
(`manage.py purge_drafts`).

Private to the writer: only `actionsets.selectors.draft_for` / `drafts_in_thread` read them, always
by the writer's own id; no facilitator, staff, digest or set export sees them. The writer's own
data export (personal_data) is the one exception. Writes go through `actionsets.services.drafts`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Drafts outlive their round by this many days, so a member can still copy out what they wrote.
DRAFT_RETENTION_DAYS = 30


class Draft(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    action_set = models.ForeignKey("actionsets.ActionSet", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("actionsets.Round", on_delete=models.CASCADE, related_name="+")
    # A reply's draft: the airtime answered, and the reply answered when it is a reply to a reply.
    airtime = models.ForeignKey("actionsets.Airtime", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    parent = models.ForeignKey("actionsets.Reply", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)  # an airtime's draft only
    kind = models.CharField(max_length=12, blank=True)  # the reply kind chosen, when one was
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(condition=Q(parent__isnull=True) | Q(airtime__isnull=False),
                                   name="draft_parent_needs_airtime"),
            models.UniqueConstraint(fields=["author", "round"], condition=Q(airtime__isnull=True),
                                    name="one_airtime_draft_per_round"),
            models.UniqueConstraint(fields=["author", "airtime"], condition=Q(airtime__isnull=False, parent__isnull=True),
                                    name="one_reply_draft_per_thread"),
            models.UniqueConstraint(fields=["author", "parent"], condition=Q(parent__isnull=False),
                                    name="one_reply_draft_per_reply"),
        ]
        indexes = [models.Index(fields=["author", "airtime"], name="draft_author_airtime")]

    def __str__(self) -> str:
        place = f"reply {self.parent_id}" if self.parent_id else f"airtime {self.airtime_id}" if self.airtime_id \
            else f"new airtime in round {self.round_id}"
        return f"Draft by {self.author} for {place}"

    @property
    def is_airtime_draft(self) -> bool:
        return self.airtime_id is None
