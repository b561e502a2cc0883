"""A gentle knock (issue 19): "your set is waiting to hear from you".

An airtime's presenter (or a facilitator) may knock once for each member who has not read the
airtime 48 hours after it was posted. The knock is recorded at once (`Knock`, one per member per
airtime); the email is a nudge of kind `knock` and follows the nudge rules exactly: it goes through
the outbox with the same exactly-once recording (decisions.record_planned and the Nudge table's
unique key), never at night in the member's time zone, never to someone with reminders off or the
set muted. A knock asked for at night is sent by the next hourly nudge run after 07:00 their time;
one whose member reads the airtime first, or whose round closes, is never sent.

Read receipts are reciprocal (actionsets.selectors.presence): knocking needs the knocker and the
member both to share them — otherwise nobody knows whether the member has read it.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext

from actionsets import permissions
from actionsets.models import Airtime, Membership, ReadMarker

from .decisions import PlannedEmail, email_key, existing_keys, nudge_key, record_planned
from .emails import build_email, thread_url
from .models import Knock, Nudge
from .nudges import reachable, when
from .unsubscribe import NUDGES

KNOCK_AFTER = timedelta(hours=48)
BATCH_SIZE = 20  # sets per batch, as for the other nudges


def period_for(airtime_id: int) -> str:
    return f"airtime:{airtime_id}"


def may_knock_at(airtime: Airtime) -> datetime:
    return airtime.created_at + KNOCK_AFTER


# --- The thread page: who can be knocked, and who already was --------------------------------


@dataclass
class KnockPanel:
    """What the thread page shows beside "not yet read by" for someone who may knock."""

    opens_at: datetime                                  # knocking opens 48 h after the airtime
    knocked: dict[int, datetime] = field(default_factory=dict)  # member id → when knocked
    open: bool = False


def thread_contribution(*, access, airtime, replies) -> dict:
    """`actionsets.events.thread_page` contribution: one query, only for those who may knock."""
    if not permissions.can_knock(access, airtime) or not access.membership.user.read_receipts:
        return {}
    now = timezone.now()
    panel = KnockPanel(opens_at=may_knock_at(airtime), open=now >= may_knock_at(airtime)
                       and airtime.round.state_at(now) == "open")
    panel.knocked = dict(Knock.objects.filter(airtime=airtime).values_list("user_id", "created_at"))
    return {"knocks": panel}


# --- Asking for a knock ----------------------------------------------------------------------


@transaction.atomic
def knock(*, access, airtime: Airtime, member: Membership, now: datetime | None = None) -> Knock:
    """Record a knock for `member` on `airtime`; its email follows (now, or in the morning).

    `access` and `member` come from actionsets.permissions (the set, and a current member of it)."""
    now = now or timezone.now()
    if not permissions.can_knock(access, airtime):
        raise ValidationError(gettext("Only the presenter or a facilitator can knock."))
    person = member.user
    if member.user_id == airtime.presenter_id or member.user_id == access.membership.user_id:
        raise ValidationError(gettext("You cannot knock for yourself."))
    if not (access.membership.user.read_receipts and person.read_receipts):
        raise ValidationError(gettext("Knocking needs read receipts on, for you and for them."))
    if airtime.round.state_at(now) != "open":
        raise ValidationError(gettext("This airtime's round is closed."))
    if now < may_knock_at(airtime):
        raise ValidationError(gettext("You can knock 48 hours after the airtime was posted, from %(when)s.")
                              % {"when": when(may_knock_at(airtime), access.membership.user)})
    if ReadMarker.objects.filter(airtime=airtime, user_id=member.user_id).exists():
        raise ValidationError(gettext("%(name)s has read it already.") % {"name": person.name})
    if not member.is_learner and not member.is_facilitator:
        raise ValidationError(gettext("%(name)s researches this set: they are not asked to read it.")
                              % {"name": person.name})
    if not person.nudges_enabled or member.notification_level == Membership.NotificationLevel.MUTED:
        raise ValidationError(gettext("%(name)s has turned reminders off, so they cannot be knocked.")
                              % {"name": person.name})
    try:
        with transaction.atomic():
            row = Knock.objects.create(airtime=airtime, user_id=member.user_id, knocked_by=access.membership.user,
                                       created_at=now)
    except IntegrityError:
        raise ValidationError(gettext("%(name)s has been knocked for this airtime already — once is enough.")
                              % {"name": person.name}) from None
    # Sent now if it is daytime for them; otherwise the morning's nudge run sends it.
    transaction.on_commit(lambda: run_knock_batch([access.action_set.pk], now=now), robust=True)
    return row


# --- Sending: the nudge run's fourth job ---------------------------------------------------


def _pending(now: datetime, set_ids: list[int] | None = None):
    """Knocks not yet sent whose airtime's round is still open and whose member has not read it."""
    knocks = Knock.objects.filter(airtime__round__opens_at__lte=now, airtime__round__closes_at__gt=now)
    if set_ids is not None:
        knocks = knocks.filter(airtime__action_set_id__in=set_ids)
    read = ReadMarker.objects.filter(airtime_id=OuterRef("airtime_id"), user_id=OuterRef("user_id"))
    sent = Nudge.objects.filter(kind=Nudge.Kind.KNOCK, user_id=OuterRef("user_id"), period=OuterRef("period_key"))
    return (
        knocks.annotate(period_key=Concat(Value("airtime:"), Cast("airtime_id", CharField()), output_field=CharField()))
        .exclude(Exists(read))
        .exclude(Exists(sent))
    )


def sets_with_pending_knocks(now: datetime) -> list[int]:
    return sorted(set(_pending(now).values_list("airtime__action_set_id", flat=True)))


def plan_knocks(set_ids: list[int], *, now: datetime) -> list[PlannedEmail]:
    """One email per due knock. Three queries, whatever the number of knocks."""
    knocks = list(
        _pending(now, set_ids)
        .select_related("airtime__action_set", "airtime__presenter", "user", "knocked_by")
    )
    if not knocks:
        return []
    memberships = {
        (m.action_set_id, m.user_id): m
        for m in Membership.objects.current().filter(
            action_set_id__in={k.airtime.action_set_id for k in knocks}, user_id__in={k.user_id for k in knocks}
        )
    }
    planned = []
    for k in knocks:
        membership = memberships.get((k.airtime.action_set_id, k.user_id))
        if membership is None:
            continue  # left the set since
        membership.user = k.user
        if not k.user.read_receipts or not reachable(membership, now):
            continue  # turned receipts or reminders off since, or it is night for them: later
        airtime, action_set = k.airtime, k.airtime.action_set
        nudge = Nudge(user=k.user, action_set=action_set, kind=Nudge.Kind.KNOCK,
                      period=period_for(airtime.pk), about_user=k.knocked_by)
        context = {
            "set_name": action_set.name, "confidential": action_set.confidential_digests,
            "title": airtime.title, "presenter": airtime.presenter.name, "knocked_by": k.knocked_by.name,
            "by_presenter": k.knocked_by_id == airtime.presenter_id, "url": thread_url(action_set.slug, airtime.pk),
        }
        email = build_email(user=k.user, template="knock", category="nudge.knock", context=context,
                            key=email_key("knock", [nudge]), unsubscribe_scope=NUDGES)
        planned.append(PlannedEmail(k.user, action_set, [nudge], email, k.pk,
                                    [f"Knock from {k.knocked_by.name} ({nudge.period})"]))
    done = existing_keys([p.nudges[0] for p in planned])
    return [p for p in planned if nudge_key(p.nudges[0]) not in done]


def run_knock_batch(set_ids: list[int], *, now: datetime) -> list[PlannedEmail]:
    planned = plan_knocks(set_ids, now=now)
    return record_planned(planned, locks=Knock.objects.filter(pk__in=[p.scope_id for p in planned]))
