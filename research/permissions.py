"""Who may see and do what with research studies. Built on actionsets.permissions (the set privacy
rule): a study is looked up only through a set the requester is a current member of, and only
among its cohort's studies; anything else is the same 404."""

from django.http import Http404

from actionsets.permissions import SetAccess, check_facilitator  # noqa: F401 - re-exported for views

from .models import Study


def get_study_or_404(access: SetAccess, study_id) -> Study:
    try:
        return Study.objects.get(pk=int(study_id), cohort_id=access.action_set.cohort_id)
    except (Study.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
