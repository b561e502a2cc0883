"""Reads of drafts, always the writer's own: one query each, whatever the number of drafts.

Nothing else in the code base reads `Draft` for a page, an email or an export, except the writer's
own data export (personal_data), so drafts stay private to their writer (issue 14)."""

from ..models import ActionSet, Airtime, Draft, Reply, Round


def draft_for(user, *, action_set: ActionSet, airtime: Airtime | None = None, parent: Reply | None = None,
              round: Round | None = None) -> Draft | None:
    """The user's draft for one place (see models.drafts), or None. One query."""
    if not user.is_authenticated:
        return None
    qs = Draft.objects.filter(author_id=user.pk, action_set=action_set)
    if parent is not None:
        return qs.filter(parent=parent).first()
    if airtime is not None:
        return qs.filter(airtime=airtime, parent__isnull=True).first()
    if round is None:
        return None
    return qs.filter(round=round, airtime__isnull=True).first()


def drafts_in_thread(user, airtime: Airtime) -> dict[int | None, Draft]:
    """The user's drafts on a thread in one query, by the reply answered (None: the thread itself)."""
    if not user.is_authenticated:
        return {}
    return {d.parent_id: d for d in Draft.objects.filter(author_id=user.pk, airtime=airtime)}


def drafts_of(user) -> list[Draft]:
    """Every draft of the user, for their own data export. One query."""
    return list(Draft.objects.filter(author_id=user.pk).select_related("action_set", "round", "airtime")
                .order_by("action_set_id", "-updated_at"))
