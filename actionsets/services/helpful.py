"""The presenter's "this question helped me" mark (HelpfulMark): one click to mark, one to undo,
an optional line of why and who may read it. Keyword-only and atomic like every write here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import HelpfulMark, Reply
from ..permissions import SetAccess, can_mark_helpful
from .checks import access_for, checked_access

WHY_MAX_CHARS = 300


def _checked(presenter, reply: Reply, access: SetAccess | None) -> SetAccess:
    airtime = reply.airtime
    access = checked_access(presenter, airtime.action_set_id, access) or access_for(presenter, airtime.action_set)
    if not can_mark_helpful(access, airtime, reply):
        raise ValidationError(_("Only the presenter marks the questions others asked on their airtime."))
    return access


@transaction.atomic
def mark_helpful(*, presenter, reply: Reply, why: str = "", visibility: str = HelpfulMark.Visibility.PRIVATE,
                 access: SetAccess | None = None, now=None) -> HelpfulMark:
    """Mark `reply` as having helped its airtime's presenter (or change the why and who sees it)."""
    _checked(presenter, reply, access)
    why = " ".join((why or "").split())
    if len(why) > WHY_MAX_CHARS:
        raise ValidationError({"why": _("Keep it to one line: %(count)s characters at most.") % {"count": WHY_MAX_CHARS}})
    if visibility not in HelpfulMark.Visibility.values:
        raise ValidationError({"visibility": _("Choose who may read why.")})
    mark, _created = HelpfulMark.objects.update_or_create(
        reply=reply,
        defaults={"presenter": presenter, "why": why, "visibility": visibility},
        create_defaults={"presenter": presenter, "why": why, "visibility": visibility,
                         "created_at": now or timezone.now()},
    )
    return mark


@transaction.atomic
def unmark_helpful(*, presenter, reply: Reply, access: SetAccess | None = None) -> bool:
    """Undo the mark. True when there was one."""
    _checked(presenter, reply, access)
    deleted, _count = HelpfulMark.objects.filter(reply=reply).delete()
    return bool(deleted)
