"""Who may see and do what with research studies. Built on actionsets.permissions (the set privacy
rule): a study is looked up only through a set the requester is a current member of, and only
among its cohort's studies; anything else is the same 404.

The set's researchers (issue 17) read the studies page and download the export, as facilitators
do; registering a study stays the facilitators' (404 for a researcher's POST, as for learners),
and consent is a participant's choice about their own words: a researcher's gets 403."""

from django.http import Http404

from actionsets.permissions import (  # noqa: F401 - re-exported for views
    SetAccess,
    check_can_act,
    check_facilitator,
    check_read_facilitation,
)

from .models import Study


def get_study_or_404(access: SetAccess, study_id) -> Study:
    try:
        return Study.objects.get(pk=int(study_id), cohort_id=access.action_set.cohort_id)
    except (Study.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
