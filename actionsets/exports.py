"""A member's own contributions to a set as one Markdown document — what they may take with them
when the set closes (and at any time before). Only what they wrote; nobody else's words."""

from datetime import datetime

from django.utils import timezone

from .models import ActionCommitment, ActionSet, Airtime, CheckIn, Introduction, ProcessReview, Reply, SetEvaluation


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d %B %Y, %H:%M}"


def contributions_markdown(user, action_set: ActionSet, *, now: datetime) -> str:
    """8 queries whatever the number of posts."""
    airtimes = list(Airtime.objects.filter(action_set=action_set, presenter=user).select_related("round")
                    .order_by("round__number"))
    replies = list(Reply.objects.filter(airtime__action_set=action_set, author=user)
                   .select_related("airtime__round", "airtime__presenter").order_by("created_at"))
    commitments = list(ActionCommitment.objects.filter(owner=user, airtime__action_set=action_set)
                       .select_related("airtime__round").order_by("created_at"))
    check_ins = list(CheckIn.objects.filter(round__action_set=action_set, author=user).select_related("round"))
    reviews = list(ProcessReview.objects.filter(round__action_set=action_set, author=user).select_related("round"))
    intro = Introduction.objects.filter(action_set=action_set, author=user).first()
    evaluation = SetEvaluation.objects.filter(action_set=action_set, author=user).first()
    out = [f"# My contributions — {action_set.name}", "",
           f"{user.name}, exported {_when(now)}. Only what I wrote; what others wrote stays in the set.", ""]
    if intro:
        out += ["## Introduction", "", intro.body.strip(), ""]
    rounds = sorted({a.round.number for a in airtimes} | {r.airtime.round.number for r in replies}
                    | {c.round.number for c in check_ins} | {r.round.number for r in reviews})
    for number in rounds:
        out += [f"## Round {number}", ""]
        out += [f"### Check-in ({_when(c.created_at)})\n\n{c.body.strip()}\n" for c in check_ins if c.round.number == number]
        for airtime in (a for a in airtimes if a.round.number == number):
            out += [f"### My airtime: {airtime.title}", "", airtime.body.strip(), ""]
            for c in (c for c in commitments if c.airtime_id == airtime.pk):
                out.append(f"- Action: {c.text} — {c.get_status_display().lower()}")
                if c.report_back:
                    out.append(f"  - Report-back: {' '.join(c.report_back.split())}")
            out.append("")
        for reply in (r for r in replies if r.airtime.round.number == number):
            whose = "my airtime" if reply.airtime.presenter_id == user.pk else f"{reply.airtime.presenter.name}'s airtime"
            out += [f"### {reply.get_kind_display()} on {whose} “{reply.airtime.title}” ({_when(reply.created_at)})", "",
                    reply.body.strip(), ""]
        for review in (r for r in reviews if r.round.number == number):
            out += ["### Process review", "", f"What worked: {review.what_worked.strip()}", ""]
            if review.do_differently:
                out += [f"Next time: {review.do_differently.strip()}", ""]
    if evaluation:
        out += ["## Final evaluation", "", f"Usefulness: {evaluation.usefulness}/5. "
                f"Preference: {evaluation.get_preference_display().lower()}.", "", evaluation.learned.strip(), ""]
        if evaluation.process:
            out += [evaluation.process.strip(), ""]
    return "\n".join(out).rstrip() + "\n"
