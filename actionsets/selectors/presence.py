"""Presence in an asynchronous set (issue 19): who has read an airtime, who is around, who has
posted this round. Built from what the pages already load — the read markers we keep and the
memberships — so no page pays more than one small query for it, and nothing new is tracked.

Read receipts are reciprocal, as in messaging apps: a member who turns them off is not shown as
having read anything, and sees nobody's reads either.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import npgettext, pgettext

from ..models import Airtime, Introduction, Membership, Reply, Round


@dataclass
class ReadReceipts:
    """Who of the set (the presenter aside, and only those who share receipts) has read an airtime."""

    read: list = field(default_factory=list)      # users, by name
    not_read: list = field(default_factory=list)  # users, by name

    @property
    def total(self) -> int:
        return len(self.read) + len(self.not_read)


def read_receipts(viewer, airtime: Airtime, memberships: list[Membership], reader_ids: set[int]) -> ReadReceipts | None:
    """None when the viewer has receipts off: they see nobody's reads (reciprocal)."""
    if not viewer.read_receipts:
        return None
    receipts = ReadReceipts()
    audience = sorted(
        (m.user for m in memberships
         if m.left_at is None and m.user_id != airtime.presenter_id and m.user.read_receipts
         and not m.is_researcher),  # researchers are named apart (thread page): nobody waits on their reading
        key=lambda u: u.name.casefold(),
    )
    for person in audience:
        (receipts.read if person.pk in reader_ids else receipts.not_read).append(person)
    return receipts


def visit_words(day: date | None, today: date) -> str:
    """A last visit in plain words, never an exact time: "this week", "last week", "3 weeks ago"."""
    if day is None:
        return pgettext("last visit", "not yet")
    days = (today - day).days
    if days < 7:
        return pgettext("last visit", "this week")
    if days < 14:
        return pgettext("last visit", "last week")
    if days < 60:
        weeks = days // 7
        return npgettext("last visit", "%(count)s week ago", "%(count)s weeks ago", weeks) % {"count": weeks}
    months = days // 30
    if months < 24:
        return npgettext("last visit", "%(count)s month ago", "%(count)s months ago", months) % {"count": months}
    return pgettext("last visit", "over a year ago")


def posted_in_round(round_: Round | None) -> set[int]:
    """Who has posted in this round — an airtime or a reply, hidden ones too (they took part).
    One query, whatever the number of posts."""
    if round_ is None:
        return set()
    presenters: QuerySet = Airtime.objects.filter(round=round_).order_by().values_list("presenter_id", flat=True)
    authors: QuerySet = Reply.objects.filter(airtime__round=round_).order_by().values_list("author_id", flat=True)
    return set(presenters.union(authors))


@dataclass
class MemberCard:
    membership: Membership
    introduction: object | None  # the member's Introduction from the forming stage, if they wrote one
    last_visit: str               # in plain words
    posted_this_round: bool
    round: Round | None


def member_card(membership: Membership, *, current: Round | None, now) -> MemberCard:
    """A member's card: face, role, introduction, last visit in plain words, posted in the
    current round. Two queries (introduction, this round's posts)."""
    introduction = Introduction.objects.filter(action_set_id=membership.action_set_id,
                                               author_id=membership.user_id).first()
    return MemberCard(
        membership=membership, introduction=introduction,
        last_visit=visit_words(membership.last_visit_on, now.date()),
        posted_this_round=membership.user_id in posted_in_round(current), round=current,
    )
