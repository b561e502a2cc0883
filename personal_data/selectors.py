"""Reads about the signed-in person's own account: the "download my data" export."""

from django.utils import timezone

from actionsets.models import ActionCommitment, Airtime, Membership, Reply
from actionsets.selectors import drafts_of

from accounts.models import User


def _iso(value):
    return value.isoformat() if value else None


def my_data(user: User) -> dict:
    """Everything the person wrote, and their account settings. Only their own words: other
    members' posts are theirs, and sets they have left are no longer theirs to read."""
    memberships = Membership.objects.filter(user=user).select_related("action_set__cohort").order_by("joined_at")
    airtimes = Airtime.objects.filter(presenter=user).select_related("action_set", "round").order_by("created_at")
    replies = Reply.objects.filter(author=user).select_related("airtime__action_set", "airtime__round").order_by("created_at")
    commitments = ActionCommitment.objects.filter(owner=user).select_related(
        "airtime__action_set", "airtime__round").order_by("created_at")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email, "display_name": user.display_name, "timezone": user.timezone,
            "digest_frequency": user.digest_frequency, "digest_hour": user.digest_hour,
            "nudges_enabled": user.nudges_enabled, "date_joined": _iso(user.date_joined),
        },
        "memberships": [
            {"set": m.action_set.name, "cohort": m.action_set.cohort.name, "role": m.role, "joined_at": _iso(m.joined_at),
             "left_at": _iso(m.left_at), "ground_rules_accepted_at": _iso(m.ground_rules_accepted_at)}
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
        "commitments": [
            {"set": c.airtime.action_set.name, "round": c.airtime.round.number, "text": c.text, "status": c.status,
             "report_back": c.report_back, "created_at": _iso(c.created_at), "reported_at": _iso(c.reported_at)}
            for c in commitments
        ],
        # Drafts are private to their writer: this export is the one place outside the writer's own
        # forms that shows them (issue 14).
        "drafts": [
            {"set": d.action_set.name, "round": d.round.number, "airtime_id": d.airtime_id,
             "reply_to_id": d.parent_id, "title": d.title, "body": d.body, "updated_at": _iso(d.updated_at)}
            for d in drafts_of(user)
        ],
    }


def my_data_markdown(data: dict) -> str:
    account = data["account"]
    lines = [f"# My data from ActionSets", "", f"Exported {data['exported_at']}.", "", "## Account", "",
             f"- Email: {account['email']}", f"- Name: {account['display_name']}", f"- Time zone: {account['timezone']}",
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
    lines += ["## My commitments", ""]
    for c in data["commitments"]:
        lines += [f"- **{c['text']}** ({c['set']}, round {c['round']}) — {c['status']}"]
        if c["report_back"]:
            lines += ["", "  Report-back: " + c["report_back"].replace("\n", "\n  "), ""]
    lines += ["", "## My drafts (not posted)", ""]
    for d in data.get("drafts", []):
        where = f"reply to {d['reply_to_id']}" if d["reply_to_id"] else (
            f"on airtime {d['airtime_id']}" if d["airtime_id"] else "airtime")
        lines += [f"### {d['title'] or 'Draft'} — {d['set']}, round {d['round']}, {where}", "",
                  f"*saved {d['updated_at'][:16]}*", "", d["body"], ""]
    return "\n".join(lines) + "\n"
