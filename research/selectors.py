"""Research reads: the studies a member sees with their current choice, who consents, the sheet's
versions, and the sets of a cohort a facilitator may export together."""

from actionsets.models import ActionSet, Membership

from .models import ConsentDecision, SheetVersion, Study


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


def current_consents(study: Study, sets: list[ActionSet]) -> dict[int, dict[int, ConsentDecision]]:
    """set id → {user id → the decision that makes them consent} for every member whose latest
    decision in that set is consent to the study's current sheet: one query for all the sets."""
    latest: dict[tuple[int, int], ConsentDecision] = {}
    for d in ConsentDecision.objects.filter(study=study, action_set__in=sets).order_by("decided_at", "pk"):
        latest[(d.action_set_id, d.user_id)] = d
    out: dict[int, dict[int, ConsentDecision]] = {s.pk: {} for s in sets}
    for (set_id, user_id), d in latest.items():
        if d.consented and d.sheet_version == study.sheet_version:
            out[set_id][user_id] = d
    return out


def studies_for_member(action_set: ActionSet, user_id: int) -> list[Study]:
    """The cohort's studies, each with `.decision` (this member's latest in this set, or None),
    `.consent_current` (they consented to the current sheet) and `.needs_confirmation` (they
    consented to an older version): 2 queries."""
    studies = list(Study.objects.filter(cohort_id=action_set.cohort_id))
    decisions = {}
    for d in ConsentDecision.objects.filter(study__in=studies, action_set=action_set, user_id=user_id) \
            .order_by("decided_at", "pk"):
        decisions[d.study_id] = d
    for study in studies:
        study.decision = decisions.get(study.pk)
        study.consent_current = bool(study.decision and study.decision.consented
                                     and study.decision.sheet_version == study.sheet_version)
        study.needs_confirmation = bool(study.decision and study.decision.consented and not study.consent_current)
    return studies


def sheet_versions(study: Study) -> list[SheetVersion]:
    """Every version of the study's sheet, newest first, each with `.previous` (the version before
    it, or None) for the diff: one query."""
    versions = list(SheetVersion.objects.filter(study=study).order_by("-version"))
    for newer, older in zip(versions, versions[1:] + [None]):
        newer.previous = older
    return versions


def facilitated_sets_of_cohort(user, cohort_id: int) -> list[ActionSet]:
    """The sets of the cohort the user currently facilitates: what a cohort-wide export may cover.
    One query."""
    return list(ActionSet.objects.filter(
        cohort_id=cohort_id,
        pk__in=Membership.objects.current().filter(user=user, role=Membership.Role.FACILITATOR)
        .values("action_set_id"),
    ).order_by("name", "pk"))


def cohort_set_count(cohort_id: int) -> int:
    return ActionSet.objects.filter(cohort_id=cohort_id).count()
