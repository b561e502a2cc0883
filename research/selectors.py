"""Research reads: the studies a member sees with their current choice, and who consents."""

from actionsets.models import ActionSet

from .models import ConsentDecision, Study


def latest_decisions(study: Study, action_set: ActionSet) -> dict[int, ConsentDecision]:
    """user id → their latest decision for this study in this set: one query."""
    latest: dict[int, ConsentDecision] = {}
    for decision in ConsentDecision.objects.filter(study=study, action_set=action_set).order_by("decided_at", "pk"):
        latest[decision.user_id] = decision
    return latest


def consenting_user_ids(study: Study, action_set: ActionSet) -> set[int]:
    """Members whose latest decision is consent to the study's *current* information sheet."""
    return {user_id for user_id, d in latest_decisions(study, action_set).items()
            if d.consented and d.sheet_version == study.sheet_version}


def studies_for_member(action_set: ActionSet, user_id: int) -> list[Study]:
    """The cohort's studies, each with `.decision` (this member's latest in this set, or None) and
    `.consent_current` (they consented to the current sheet): 2 queries."""
    studies = list(Study.objects.filter(cohort_id=action_set.cohort_id))
    decisions = {}
    for d in ConsentDecision.objects.filter(study__in=studies, action_set=action_set, user_id=user_id) \
            .order_by("decided_at", "pk"):
        decisions[d.study_id] = d
    for study in studies:
        study.decision = decisions.get(study.pk)
        study.consent_current = bool(study.decision and study.decision.consented
                                     and study.decision.sheet_version == study.sheet_version)
    return studies

