"""Every research write: register a study, revise its information sheet, record a member's consent.
Keyword-only, atomic, markdown rendered before the transaction (docs/architecture.md, section 3)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionsets.markdown import render_markdown
from actionsets.models import ActionSet, ModerationAction
from actionsets.permissions import SetAccess
from actionsets.services import access_for, log_action, require_body, require_facilitator

from .models import ConsentDecision, Study

LIMITS = {"title": 200, "ethics_reference": 120, "contact": 200}


def _clean(**fields) -> dict:
    out = {}
    for name, value in fields.items():
        value = (value or "").strip()
        if not value:
            raise ValidationError({name: "This is required."})
        if len(value) > LIMITS[name]:
            raise ValidationError({name: f"At most {LIMITS[name]} characters."})
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
    log_action(actor=actor, action_set=action_set, action=ModerationAction.Action.REGISTER_STUDY, target=study,
               detail={"title": study.title, "ethics_reference": study.ethics_reference}, now=now)
    return study


def revise_information_sheet(*, actor, action_set: ActionSet, study: Study, information_sheet: str) -> Study:
    """A new version of the sheet: consents given to the old one stop counting until renewed."""
    sheet = require_body(information_sheet, field="information_sheet")
    html = render_markdown(sheet)
    return _revise(actor=actor, action_set=action_set, study=study, sheet=sheet, html=html)


@transaction.atomic
def _revise(*, actor, action_set, study, sheet, html) -> Study:
    require_facilitator(actor, action_set)
    study = Study.objects.select_for_update().get(pk=study.pk, cohort_id=action_set.cohort_id)
    study.information_sheet, study.information_sheet_html = sheet, html
    study.sheet_version += 1
    study.save(update_fields=["information_sheet", "information_sheet_html", "sheet_version"])
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
        raise ValidationError("That study is not on this set's cohort.")
    return ConsentDecision.objects.create(study=study, action_set=action_set, user=user, consented=bool(consented),
                                          sheet_version=study.sheet_version, decided_at=now or timezone.now())
