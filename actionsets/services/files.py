"""Writes of files private to a set (docs/files.md).

A post's files are checked and stored *before* its write transaction opens (sniffing, re-encoding
an image and scanning are slow, like rendering markdown): `prepare_files` returns them under new
random keys. Inside the transaction `attach_files` checks the per-post and per-set limits under
the set's lock and writes the rows; `stored` deletes the stored bytes again if the write fails.
The editor's upload (`upload_pending`) stores a file that belongs to no post yet; the post that
shows it (its text holds the file's address) takes it when it is saved.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .. import files
from ..models import ActionSet, Airtime, Attachment, JournalEntry, Reply
from .checks import access_for, require_can_post

FIELD = "attachments"


@dataclass(frozen=True)
class StoredFile:
    checked: files.CheckedFile
    token: str
    key: str


def prepare_files(uploads) -> list[StoredFile]:
    """Check every upload and store those that pass. Every refusal is collected, one message per
    file, so the member learns all at once; nothing is stored when one is refused."""
    uploads = [u for u in (uploads or []) if u is not None]
    if len(uploads) > settings.ATTACHMENTS_PER_POST:
        raise ValidationError({FIELD: _("At most %(limit)s files per post: you chose %(count)s.") % {
            "limit": settings.ATTACHMENTS_PER_POST, "count": len(uploads)}})
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(files.check_upload(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({FIELD: errors})
    stored = []
    try:
        for item in checked:
            token = files.new_token()
            key = files.key_for(token)
            files.save_bytes(key, item.data)
            stored.append(StoredFile(checked=item, token=token, key=key))
    except Exception:
        files.delete_quietly(s.key for s in stored)
        raise
    return stored


@contextmanager
def stored(prepared: list[StoredFile]):
    """Around a post's write: if it raises, the files stored for it are deleted again."""
    try:
        yield prepared
    except BaseException:
        files.delete_quietly(s.key for s in prepared)
        raise


def _mb(size: int) -> str:
    return _("%(size)s MB") % {"size": number_format(round(size / (1024 * 1024), 1), decimal_pos=1)}


def _file_urls(body: str, set_slug: str) -> set[str]:
    return set(re.findall(rf"/sets/{re.escape(set_slug)}/files/([A-Za-z0-9_-]{{16,48}})/", body or ""))


def attach_files(
    *, prepared: list[StoredFile], uploader, action_set: ActionSet, airtime: Airtime | None = None,
    reply: Reply | None = None, journal_entry: JournalEntry | None = None, body: str = "", removing: int = 0,
) -> list[Attachment]:
    """Inside the post's transaction: the post takes its new files and the editor uploads its text
    shows, within ATTACHMENTS_PER_POST per post and SET_QUOTA_MB per set. `removing`: how many of
    the post's files the same edit takes off (they no longer count towards the post's limit)."""
    target = {"airtime": airtime, "reply": reply, "journal_entry": journal_entry}
    pending = Attachment.objects.none()
    tokens = _file_urls(body, action_set.slug)
    if tokens:
        pending = Attachment.objects.filter(action_set=action_set, uploader=uploader, airtime=None, reply=None,
                                            journal_entry=None, token__in=tokens)
    if not prepared and not tokens:
        return []
    # One writer at a time per set: the quota below is read and used under this lock.
    ActionSet.objects.select_for_update().filter(pk=action_set.pk).first()
    post_filter = Q(**{k: v for k, v in target.items() if v is not None}, removed_at=None)
    counts = Attachment.objects.filter(action_set=action_set).aggregate(
        used=Sum("size", default=0), on_post=Count("pk", filter=post_filter))
    linking = list(pending.values_list("pk", flat=True))
    total = counts["on_post"] - removing + len(linking) + len(prepared)
    if total > settings.ATTACHMENTS_PER_POST:
        raise ValidationError({FIELD: _("At most %(limit)s files per post: this one would have %(count)s. "
                                        "Remove some and try again.") % {"limit": settings.ATTACHMENTS_PER_POST,
                                                                         "count": total}})
    adding = sum(s.checked.size for s in prepared)
    quota = settings.SET_QUOTA_MB * 1024 * 1024
    if counts["used"] + adding > quota:
        raise ValidationError({FIELD: _("This set's file space is full: %(used)s of %(quota)s MB is used and these "
                                        "files need %(needed)s. Ask your facilitator, or share a link instead.") % {
            "used": _mb(counts["used"]), "quota": settings.SET_QUOTA_MB, "needed": _mb(adding)}})
    if linking:
        Attachment.objects.filter(pk__in=linking).update(**target)
    thread_id = airtime.pk if airtime is not None else reply.airtime_id if reply is not None else None
    if thread_id is not None and (linking or prepared):
        Airtime.objects.filter(pk=thread_id, has_files=False).update(has_files=True)
    if journal_entry is not None and (linking or prepared):
        JournalEntry.objects.filter(pk=journal_entry.pk, has_files=False).update(has_files=True)
    now = timezone.now()
    return Attachment.objects.bulk_create([_row(s, uploader=uploader, action_set=action_set, now=now, **target)
                                           for s in prepared])


def _row(item: StoredFile, *, uploader, action_set: ActionSet, now, **target) -> Attachment:
    checked = item.checked
    return Attachment(action_set=action_set, uploader=uploader, token=item.token, key=item.key, name=checked.name,
                      content_type=checked.content_type, size=checked.size, width=checked.width,
                      height=checked.height, created_at=now, **target)


def upload_pending(*, uploader, action_set: ActionSet, upload) -> Attachment:
    """The editor's upload: a file stored now, shown only to its uploader until a post takes it."""
    prepared = prepare_files([upload])
    with stored(prepared), transaction.atomic():
        require_can_post(access_for(uploader, action_set))
        ActionSet.objects.select_for_update().filter(pk=action_set.pk).first()
        used = Attachment.objects.filter(action_set=action_set).aggregate(used=Sum("size", default=0))["used"]
        item = prepared[0]
        if used + item.checked.size > settings.SET_QUOTA_MB * 1024 * 1024:
            raise ValidationError({FIELD: _("This set's file space is full (%(quota)s MB).") % {
                "quota": settings.SET_QUOTA_MB}})
        attachment = _row(item, uploader=uploader, action_set=action_set, now=timezone.now())
        attachment.save()
        return attachment


def delete_files(attachments) -> None:
    """Delete rows and, after the commit, their bytes (erasing a journal, say)."""
    keys = [a.key for a in attachments]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    transaction.on_commit(lambda: files.delete_quietly(keys))


def files_to_remove(ids, *, airtime: Airtime | None = None, reply: Reply | None = None,
                    journal_entry: JournalEntry | None = None) -> list[Attachment]:
    """The post's own current files among `ids` (inside the edit's transaction, rows locked). An id
    that is not one of this post's current files is ignored: nobody removes another post's file."""
    ids = {int(i) for i in ids or () if str(i).isdigit()}
    if not ids:
        return []
    target = {"airtime": airtime, "reply": reply, "journal_entry": journal_entry}
    return list(Attachment.objects.select_for_update().filter(
        pk__in=ids, removed_at=None, **{k: v for k, v in target.items() if v is not None}).order_by("pk"))


def remove_files_from_post(attachments: list[Attachment], *, revision, now) -> None:
    """Take files off an airtime or reply: they stay stored, with the revision the edit made (the
    history lists them and they open for the post's readers as before)."""
    if attachments:
        Attachment.objects.filter(pk__in=[a.pk for a in attachments]).update(removed_at=now, revision=revision)


def pending_cutoff(now=None):
    return (now or timezone.now()) - timedelta(hours=settings.PENDING_UPLOAD_GRACE_HOURS)


def sweep_pending_uploads(*, now=None, batch_size: int = 500) -> int:
    """Delete editor uploads that no post took within PENDING_UPLOAD_GRACE_HOURS: the rows, and the
    stored bytes after each batch commits. A row a post is taking at this moment is locked by that
    post's transaction and skipped (the post wins); the next sweep looks again. Returns how many."""
    cutoff, deleted = pending_cutoff(now), 0
    while True:
        with transaction.atomic():
            batch = list(
                Attachment.objects.select_for_update(skip_locked=True)
                .filter(airtime=None, reply=None, journal_entry=None, created_at__lt=cutoff)
                .order_by("created_at", "pk").values_list("pk", "key")[:batch_size]
            )
            if not batch:
                return deleted
            Attachment.objects.filter(pk__in=[pk for pk, _ in batch], airtime=None, reply=None,
                                      journal_entry=None).delete()
            keys = [key for _, key in batch]
            transaction.on_commit(lambda keys=keys: files.delete_quietly(keys))
        deleted += len(batch)
        if len(batch) < batch_size:
            return deleted
