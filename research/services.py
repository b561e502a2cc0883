"""Every research write: register a study, revise its information sheet, record a member's consent.
Keyword-only, atomic, markdown rendered before the transaction (docs/architecture.md, section 3)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionsets.markdown import render_markdown
from actionsets.models import ActionSet, ModerationAction
from actionsets.permissions import SetAccess
from actionsets.services import access_for, log_action, require_body, require_facilitator

from .models import ConsentDecision, SheetVersion, Study

LIMITS = {"title": 200, "ethics_reference": 120, "contact": 200}


def _clean(**fields) -> dict:
    out = {}
    for name, value in fields.items():
        value = (value or "").strip()
        if not value:
            raise ValidationError({name: _("This is required.")})
        if len(value) > LIMITS[name]:
            raise ValidationError({name: _("At most %(limit)s characters.") % {"limit": LIMITS[name]}})
        out[name] = value
    return out


def register_study(*, actor, action_set: ActionSet, title: str, ethics_reference: str, information_sheet: str,
                   contact: str, now=None) -> Study:
    """A facilitator registers a study on their set's cohort: every set of the cohort shows it to
    its members, who opt in or out."""
    fields = _clean(title=title, ethics_reference=ethics_reference, contact=contact)
    sheet = require_body(information_sheet, field="information_sheet")
    html = render_markdown(sheet)
    return _register(actor=actor, action_set=action_set, fields=fields, sheet=sheet, html=html,
                     now=now or timezone.now())


@transaction.atomic
def _register(*, actor, action_set, fields, sheet, html, now) -> Study:
    require_facilitator(actor, action_set)
    study = Study.objects.create(cohort_id=action_set.cohort_id, information_sheet=sheet,
                                 information_sheet_html=html, created_by=actor, created_at=now, **fields)
    SheetVersion.objects.create(study=study, version=study.sheet_version, information_sheet=sheet,
                                information_sheet_html=html, created_by=actor, created_at=now)
    log_action(actor=actor, action_set=action_set, action=ModerationAction.Action.REGISTER_STUDY, target=study,
               detail={"title": study.title, "ethics_reference": study.ethics_reference}, now=now)
    return study


def revise_information_sheet(*, actor, action_set: ActionSet, study: Study, information_sheet: str, note: str = "",
                             now=None) -> Study:
    """A new version of the sheet, kept beside every earlier one (`SheetVersion`): consents given
    to an older version stop counting until the member agrees again. An unchanged text is refused."""
    sheet = require_body(information_sheet, field="information_sheet")
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise ValidationError({"note": _("At most %(limit)s characters.") % {"limit": 300}})
    html = render_markdown(sheet)
    return _revise(actor=actor, action_set=action_set, study=study, sheet=sheet, html=html, note=note,
                   now=now or timezone.now())


@transaction.atomic
def _revise(*, actor, action_set, study, sheet, html, note, now) -> Study:
    require_facilitator(actor, action_set)
    study = Study.objects.select_for_update().get(pk=study.pk, cohort_id=action_set.cohort_id)
    if sheet == study.information_sheet:
        raise ValidationError({"information_sheet": _("The information sheet is unchanged: no new version.")})
    study.information_sheet, study.information_sheet_html = sheet, html
    study.sheet_version += 1
    study.save(update_fields=["information_sheet", "information_sheet_html", "sheet_version"])
    SheetVersion.objects.create(study=study, version=study.sheet_version, information_sheet=sheet,
                                information_sheet_html=html, note=note, created_by=actor, created_at=now)
    return study


@transaction.atomic
def decide_consent(*, user, study: Study, action_set: ActionSet, consented: bool, access: SetAccess | None = None,
                   now=None) -> ConsentDecision:
    """The member's opt-in or opt-out for this set, with the sheet version they were shown."""
    if access is None:
        access = access_for(user, action_set)
    if access.user.pk != user.pk or access.action_set.pk != action_set.pk:
        raise ValueError("The access handed to a service must be the acting user's in the set.")
    if study.cohort_id != action_set.cohort_id:
        raise ValidationError(_("That study is not on this set's cohort."))
    return ConsentDecision.objects.create(study=study, action_set=action_set, user=user, consented=bool(consented),
                                          sheet_version=study.sheet_version, decided_at=now or timezone.now())
