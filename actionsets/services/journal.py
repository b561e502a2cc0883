"""The private reflective journal: writes, reads and the Markdown export, in one small module.

Only the author ever reads an entry — not the set's facilitator, not staff. Every read here is
filtered by `author`; views fetch single entries with permissions.get_journal_entry_or_404.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ActionSet, Airtime, JournalEntry
from ..selectors.files import journal_files
from ..search import index_post
from .checks import access_for, prepare, require_body
from .files import attach_files, delete_files, files_to_remove, prepare_files, stored

Level = JournalEntry.Level

# Prompts for each reflective-writing level (describe → reflect → other perspectives → wider
# context; after Hatton & Smith, and Moon's reflective writing framework).
PROMPTS = {
    Level.DESCRIBE: [gettext_lazy("What happened? Who was involved, what was said and done?"),
                     gettext_lazy("What did the set ask you — which question stayed with you?")],
    Level.REFLECT: [gettext_lazy("Why do you think it happened that way? What did you feel?"),
                    gettext_lazy("What were you assuming — about others, about yourself?")],
    Level.PERSPECTIVES: [gettext_lazy("How might the other people involved describe it?"),
                         gettext_lazy("What would someone you disagree with notice that you missed?")],
    Level.CONTEXT: [gettext_lazy("What does this say about your practice, your team, your organisation?"),
                    gettext_lazy("What will you do differently — and what would need to change around you?")],
}


def _check(author, action_set: ActionSet, *, body: str, level: str, title: str, airtime: Airtime | None):
    access = access_for(author, action_set)
    if action_set.archived:
        raise ValidationError(_("This set is archived: its journal is read-only. You can still export it."))
    if level not in Level.values:
        raise ValidationError({"level": _("Choose a level.")})
    if len((title or "").strip()) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    if airtime is not None and (airtime.action_set_id != action_set.pk or airtime.presenter_id != author.pk):
        raise ValidationError({"airtime": _("Link an entry to one of your own airtimes in this set.")})
    return access, require_body(body)


def write_entry(*, author, action_set: ActionSet, body: str, level: str = Level.DESCRIBE, title: str = "",
                airtime: Airtime | None = None, attachments=(), now: datetime | None = None) -> JournalEntry:
    prepared = prepare(body)  # rendered before the write transaction opens (services.prepare)
    with stored(prepare_files(attachments)) as files, transaction.atomic():
        _check(author, action_set, body=prepared.body, level=level, title=title, airtime=airtime)
        entry = JournalEntry.objects.create(
            action_set=action_set, author=author, airtime=airtime, level=level, title=(title or "").strip(),
            body=prepared.body, body_html=prepared.html, created_at=now or timezone.now(),
        )
        attach_files(prepared=files, uploader=author, action_set=action_set, journal_entry=entry, body=prepared.body)
        index_post(entry)
        return entry


def edit_entry(*, author, entry: JournalEntry, body: str, level: str, title: str = "",
               airtime: Airtime | None = None, attachments=(), remove_files=(),
               now: datetime | None = None) -> JournalEntry:
    """`remove_files`: ids of the entry's files to delete. A journal keeps no revisions and its files
    are its author's alone, so a removed file is deleted (the row now, the bytes after the commit)."""
    if entry.author_id != author.pk:
        raise ValidationError(_("Only the author edits a journal entry."))
    prepared = prepare(body)
    with stored(prepare_files(attachments)) as files, transaction.atomic():
        _check(author, entry.action_set, body=prepared.body, level=level, title=title, airtime=airtime)
        removing = files_to_remove(remove_files, journal_entry=entry)
        attach_files(prepared=files, uploader=author, action_set=entry.action_set, journal_entry=entry,
                     body=prepared.body, removing=len(removing))
        delete_files(removing)
        entry.body, entry.body_html, entry.level, entry.title = prepared.body, prepared.html, level, (title or "").strip()
        entry.airtime, entry.edited_at = airtime, now or timezone.now()
        entry.save(update_fields=["body", "body_html", "level", "title", "airtime", "edited_at"])
        index_post(entry)
        return entry


def entries_for(author, action_set: ActionSet) -> list[JournalEntry]:
    """The author's own entries, newest first. One query (airtime and its round joined)."""
    entries = list(JournalEntry.objects.filter(author=author, action_set=action_set)
                   .select_related("airtime__round").order_by("-created_at", "-pk"))
    for entry in entries:
        if entry.airtime is not None:
            entry.airtime.action_set = action_set  # its link needs the slug: not a query per entry
    journal_files(entries)
    return entries


def export_markdown(author, action_set: ActionSet, entries: list[JournalEntry], *, now: datetime) -> str:
    """The journal as one Markdown document, oldest first, for a programme portfolio."""
    labels = dict(Level.choices)
    lines = ["# " + _("Reflective journal — %(set)s") % {"set": action_set.name}, "",
             _("%(name)s, exported %(date)s. Private: written for myself.") % {
                 "name": author.name, "date": date_format(timezone.localtime(now), "d F Y")}, ""]
    for entry in sorted(entries, key=lambda e: (e.created_at, e.pk)):
        created = timezone.localtime(entry.created_at)
        lines += [f"## {entry.title or date_format(created, 'd F Y')}", "",
                  f"*{date_format(created, 'd F Y, H:i')} · {labels[entry.level]}*"]
        if entry.airtime:
            lines.append("*" + _("About my airtime: round %(number)s, “%(title)s”") % {
                "number": entry.airtime.round.number, "title": entry.airtime.title} + "*")
        lines += ["", entry.body.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"
