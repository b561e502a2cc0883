"""Members' @handles: one per membership, readable and unique among a set's current members
(issue 14). `@priya`, then `@priya.r` for a second Priya, then `@priya.ra`, and a number only
when the name has run out of letters. A former member's handle is free for the next person, and
a mention of it renders as plain text (actionsets/markdown.py renders only current handles).

The membership services assign handles (`assign_handles`, in the transaction that adds the
member); `choose_handle` is pure, so the migration that backfilled existing members uses it too.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.db import transaction

from .markdown import HANDLE  # noqa: F401 - what a handle looks like, for callers of this module
from .models import Membership

MAX_LENGTH = 40


def _words(name: str) -> list[str]:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", ascii_name)


def _candidates(name: str, email: str) -> Iterable[str]:
    words = _words(name) or _words(email.split("@")[0]) or ["member"]
    first, rest = words[0][:24], "".join(words[1:])
    yield first
    for length in range(1, min(len(rest), 12) + 1):
        yield f"{first}.{rest[:length]}"
    base = f"{first}.{rest[:12]}" if rest else first
    for number in range(2, 10_000):
        yield f"{base}{number}"


def choose_handle(*, name: str, email: str, taken: set[str]) -> str:
    """The first readable handle for this person that `taken` does not hold."""
    for candidate in _candidates(name, email):
        candidate = candidate[:MAX_LENGTH]
        if candidate not in taken:
            return candidate
    raise ValueError("no free handle")  # 10,000 namesakes in one set


@transaction.atomic
def assign_handles(*, action_set_ids: Iterable[int]) -> int:
    """Give every current member of these sets who has no handle yet one; return how many.

    Locks the sets' current memberships, so two enrolments into one set cannot pick the same handle
    (the unique constraint is the second guard)."""
    ids = sorted(set(action_set_ids))
    if not ids:
        return 0
    members = list(Membership.objects.current().select_for_update(of=("self",)).select_related("user")
                   .filter(action_set_id__in=ids).order_by("joined_at", "pk"))
    taken: dict[int, set[str]] = {set_id: set() for set_id in ids}
    for member in members:
        if member.handle:
            taken[member.action_set_id].add(member.handle)
    changed = []
    for member in members:
        if not member.handle:
            member.handle = choose_handle(name=member.user.name, email=member.user.email,
                                          taken=taken[member.action_set_id])
            taken[member.action_set_id].add(member.handle)
            changed.append(member)
    Membership.objects.bulk_update(changed, ["handle"])
    return len(changed)


def fill_handles(memberships: list[Membership]) -> None:
    """Handles for memberships about to be inserted together (enrolment's bulk path), so the
    insert writes them: one query for the handles their sets' current members hold. The unique
    constraint refuses the rare clash with an enrolment into the same set at the same moment."""
    taken: dict[int, set[str]] = {m.action_set_id: set() for m in memberships}
    for set_id, handle in (Membership.objects.current().filter(action_set_id__in=list(taken)).exclude(handle="")
                           .values_list("action_set_id", "handle")):
        taken[set_id].add(handle)
    for membership in memberships:
        if not membership.handle:
            membership.handle = choose_handle(name=membership.user.name, email=membership.user.email,
                                              taken=taken[membership.action_set_id])
            taken[membership.action_set_id].add(membership.handle)


def current_handles(action_set_id: int) -> dict[str, int]:
    """handle → user id for the set's current members: what a mention may name (one query)."""
    return dict(Membership.objects.current().filter(action_set_id=action_set_id).exclude(handle="")
                .values_list("handle", "user_id"))
