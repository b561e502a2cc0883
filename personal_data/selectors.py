"""Reads about the signed-in person's own account: the "download my data" export."""

import base64
import zipfile
from tempfile import SpooledTemporaryFile

from django.utils import timezone

from accounts.models import ProfilePicture, User
from actionsets.files import storage
from actionsets.models import ActionCommitment, Airtime, Attachment, Membership, Reply
from actionsets.selectors import drafts_of, files_uploaded_by
from research.models import ConsentDecision


def _iso(value):
    return value.isoformat() if value else None


def _picture(user: User) -> dict | None:
    """My profile picture as stored (base64 WebP), or None."""
    stored = ProfilePicture.objects.filter(user=user).first() if user.picture_version else None
    if stored is None:
        return None
    return {"content_type": stored.content_type, "updated_at": _iso(stored.updated_at),
            "base64": base64.b64encode(bytes(stored.image)).decode()}


def my_data(user: User) -> dict:
    """Everything the person wrote, and their account settings. Only their own words: other
    members' posts are theirs, and sets they have left are no longer theirs to read."""
    memberships = Membership.objects.filter(user=user).select_related("action_set__cohort").order_by("joined_at")
    airtimes = Airtime.objects.filter(presenter=user).select_related("action_set", "round").order_by("created_at")
    replies = Reply.objects.filter(author=user).select_related("airtime__action_set", "airtime__round").order_by("created_at")
    consents = ConsentDecision.objects.filter(user=user).select_related("study", "action_set") \
        .order_by("decided_at", "pk")
    commitments = ActionCommitment.objects.filter(owner=user).select_related(
        "airtime__action_set", "airtime__round").order_by("created_at")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email, "display_name": user.display_name, "timezone": user.timezone,
            "digest_frequency": user.digest_frequency, "digest_hour": user.digest_hour,
            "nudges_enabled": user.nudges_enabled, "read_receipts": user.read_receipts,
            "language": user.language,
            "date_joined": _iso(user.date_joined), "picture": _picture(user),
        },
        "memberships": [
            {"set": m.action_set.name, "cohort": m.action_set.cohort.name, "role": m.role, "joined_at": _iso(m.joined_at),
             "left_at": _iso(m.left_at), "ground_rules_accepted_at": _iso(m.ground_rules_accepted_at),
             "last_visit_on": _iso(m.last_visit_on)}
            for m in memberships
        ],
        "airtimes": [
            {"id": a.pk, "set": a.action_set.name, "round": a.round.number, "title": a.title, "body": a.body,
             "created_at": _iso(a.created_at), "edited_at": _iso(a.edited_at)}
            for a in airtimes
        ],
        "replies": [
            {"id": r.pk, "set": r.airtime.action_set.name, "round": r.airtime.round.number, "airtime_id": r.airtime_id,
             "on_my_airtime": r.airtime.presenter_id == user.pk, "kind": r.kind, "body": r.body,
             "created_at": _iso(r.created_at), "edited_at": _iso(r.edited_at), "hidden": r.hidden}
            for r in replies
        ],
        "files": [_file_entry(f) for f in files_uploaded_by(user)],
        "commitments": [
            {"set": c.airtime.action_set.name, "round": c.airtime.round.number, "text": c.text, "status": c.status,
             "report_back": c.report_back, "created_at": _iso(c.created_at), "reported_at": _iso(c.reported_at)}
            for c in commitments
        ],
        # Every research consent decision, oldest first: the latest per study and set is the one that counts.
        "research_consents": [
            {"study": d.study.title, "ethics_reference": d.study.ethics_reference, "set": d.action_set.name,
             "choice": "consented" if d.consented else "declined", "sheet_version": d.sheet_version,
             "current_sheet_version": d.study.sheet_version, "decided_at": _iso(d.decided_at)}
            for d in consents
        ],
        # Drafts are private to their writer: this export is the one place outside the writer's own
        # forms that shows them (issue 14).
        "drafts": [
            {"set": d.action_set.name, "round": d.round.number, "airtime_id": d.airtime_id,
             "reply_to_id": d.parent_id, "title": d.title, "body": d.body, "updated_at": _iso(d.updated_at)}
            for d in drafts_of(user)
        ],
    }


def _file_entry(f: Attachment) -> dict:
    post = (f"airtime {f.airtime_id}" if f.airtime_id else f"reply {f.reply_id}" if f.reply_id
            else f"journal entry {f.journal_entry_id}" if f.journal_entry_id else "not posted (an editor upload)")
    return {"set": f.action_set.name, "name": f.name, "content_type": f.content_type, "size": f.size,
            "attached_to": post, "uploaded_at": _iso(f.created_at), "in_zip": _zip_path(f)}


def _zip_path(f: Attachment) -> str:
    # The set's slug and the file's id keep two "notes.pdf" apart; the name is already sanitised.
    return f"files/{f.action_set.slug}/{f.pk}-{f.name}"


def my_files_zip(user: User):
    """Every file the person uploaded, in one ZIP (their data export): a file object at its start.
    Kept in memory up to 8 MB and on disk past that, copied from the storage in chunks."""
    out = SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for f in files_uploaded_by(user):
            with storage().open(f.key, "rb") as source, archive.open(_zip_path(f), "w", force_zip64=True) as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
    out.seek(0)
    return out


def my_data_markdown(data: dict) -> str:
    account = data["account"]
    lines = [f"# My data from ActionSets", "", f"Exported {data['exported_at']}.", "", "## Account", "",
             f"- Email: {account['email']}", f"- Name: {account['display_name']}", f"- Time zone: {account['timezone']}",
             f"- Language: {account['language'] or 'automatic'}",
             f"- Digest: {account['digest_frequency']} at {account['digest_hour']:02d}:00",
             f"- Nudges: {'on' if account['nudges_enabled'] else 'off'}", "", "## Sets", ""]
    lines += [f"- {m['set']} ({m['cohort']}), {m['role']}, joined {m['joined_at'][:10]}"
              + (f", left {m['left_at'][:10]}" if m["left_at"] else "") for m in data["memberships"]] or ["None."]
    lines += ["", "## My airtimes", ""]
    for a in data["airtimes"]:
        lines += [f"### {a['title']}", "", f"*{a['set']}, round {a['round']}, {a['created_at'][:16]}*", "", a["body"], ""]
    lines += ["## My replies", ""]
    for r in data["replies"]:
        where = "on my airtime" if r["on_my_airtime"] else f"on airtime {r['airtime_id']}"
        lines += [f"### {r['kind'].capitalize()} — {r['set']}, round {r['round']}, {where}", "",
                  f"*{r['created_at'][:16]}*", "", r["body"], ""]
    lines += ["## My files", ""]
    lines += [f"- {f['name']} ({f['set']}, {f['attached_to']}, {f['size']:,} bytes): `{f['in_zip']}` in the files ZIP"
              for f in data["files"]] or ["None."]
    lines += ["", "## My commitments", ""]
    for c in data["commitments"]:
        lines += [f"- **{c['text']}** ({c['set']}, round {c['round']}) — {c['status']}"]
        if c["report_back"]:
            lines += ["", "  Report-back: " + c["report_back"].replace("\n", "\n  "), ""]
    lines += ["", "## My research consent decisions", ""]
    lines += [f"- {c['decided_at'][:16]}: {c['choice']} — “{c['study']}” (ethics {c['ethics_reference']}), set "
              f"{c['set']}, information sheet version {c['sheet_version']}"
              + (f" (now version {c['current_sheet_version']})" if c["current_sheet_version"] != c["sheet_version"]
                 else "")
              for c in data.get("research_consents", [])] or ["None."]
    lines += ["", "## My drafts (not posted)", ""]
    for d in data.get("drafts", []):
        where = f"reply to {d['reply_to_id']}" if d["reply_to_id"] else (
            f"on airtime {d['airtime_id']}" if d["airtime_id"] else "airtime")
        lines += [f"### {d['title'] or 'Draft'} — {d['set']}, round {d['round']}, {where}", "",
                  f"*saved {d['updated_at'][:16]}*", "", d["body"], ""]
    return "\n".join(lines) + "\n"
