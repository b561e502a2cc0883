"""Reads of a set's files: what a thread, a journal or a person's export shows (docs/files.md).
Which files a reader may open is decided by permissions.can_open_attachment; these only list."""

from collections import defaultdict

from django.db.models import Q

from ..models import Airtime, Attachment, JournalEntry


def thread_files(airtime: Airtime, replies) -> None:
    """Give the airtime and each reply their `files` (a list), in one query. The template shows a
    reply's files only where it shows the reply's text (hidden and withheld replies: none). A
    thread that never had a file (`has_files`) costs no query."""
    by_post = defaultdict(list)
    found = Attachment.objects.filter(Q(airtime=airtime) | Q(reply__airtime=airtime), removed_at=None) \
        .order_by("pk") if airtime.has_files else []
    for attachment in found:
        by_post[("reply", attachment.reply_id) if attachment.reply_id else ("airtime", airtime.pk)].append(attachment)
    airtime.files = by_post[("airtime", airtime.pk)]
    for reply in replies:
        reply.files = by_post[("reply", reply.pk)]


def post_files(post) -> list[Attachment]:
    """One post's current files (the edit and history pages): not those an edit removed."""
    field = {Airtime: "airtime", JournalEntry: "journal_entry"}.get(type(post), "reply")
    return list(Attachment.objects.filter(**{field: post}, removed_at=None).order_by("pk"))


def journal_files(entries) -> None:
    """Each journal entry's `files`, in one query (none when no entry has files: `has_files`)."""
    by_entry = defaultdict(list)
    with_files = [e.pk for e in entries if e.has_files]
    found = Attachment.objects.filter(journal_entry__in=with_files).order_by("pk") if with_files else []
    for attachment in found:
        by_entry[attachment.journal_entry_id].append(attachment)
    for entry in entries:
        entry.files = by_entry[entry.pk]


def files_uploaded_by(user) -> list[Attachment]:
    """Every file a person uploaded, with its set (their data export)."""
    return list(Attachment.objects.filter(uploader=user).select_related("action_set").order_by("action_set_id", "pk"))
