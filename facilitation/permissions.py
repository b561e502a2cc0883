"""Who may facilitate, moderate, annotate and flag. Built on actionsets.permissions, which holds
the set privacy rule (docs/architecture.md, section 2); nothing here re-implements it.

Facilitator pages give learners the same 404 as outsiders (`check_facilitator`): they need not
know those pages exist.
"""

from django.http import Http404

from actionsets.permissions import SetAccess, can_flag, check_facilitator, get_set_or_404  # noqa: F401 - can_flag re-exported

from .models import Annotation, CodingSample, Flag


def get_facilitated_set_or_404(user, set_slug: str) -> SetAccess:
    access = get_set_or_404(user, set_slug)
    check_facilitator(access)
    return access


def get_flag_or_404(access: SetAccess, flag_id) -> Flag:
    try:
        return Flag.objects.select_related("reply__airtime", "reply__author").get(
            pk=int(flag_id), reply__airtime__action_set=access.action_set
        )
    except (Flag.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_annotation_or_404(access: SetAccess, annotation_id) -> Annotation:
    try:
        return Annotation.objects.select_related("reply__airtime").get(
            pk=int(annotation_id), reply__airtime__action_set=access.action_set
        )
    except (Annotation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_sample_or_404(access: SetAccess, sample_id) -> CodingSample:
    try:
        return CodingSample.objects.select_related("scheme", "round").get(pk=int(sample_id),
                                                                          action_set=access.action_set)
    except (CodingSample.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
