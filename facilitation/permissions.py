"""Who may facilitate, moderate, annotate and flag. Built on actionsets.permissions, which holds
the set privacy rule (docs/architecture.md, section 2); nothing here re-implements it.

Facilitator pages give learners the same 404 as outsiders (`check_facilitator`): they need not
know those pages exist. The set's researchers read the read-only ones and act on none.
"""

from django.http import Http404

from actionsets.permissions import (  # noqa: F401 - can_flag, check_facilitator re-exported
    SetAccess,
    can_flag,
    check_facilitator,
    check_read_facilitation,
    get_set_or_404,
)

from .models import Annotation, CodingSample, Flag


def get_facilitated_set_or_404(user, set_slug: str) -> SetAccess:
    access = get_set_or_404(user, set_slug)
    check_facilitator(access)
    return access


def get_readable_facilitation_or_404(user, set_slug: str) -> SetAccess:
    """The facilitator's read-only pages — dashboard, its CSV and signals, coding agreement — open
    to the set's researchers too (issue 17); everything that acts stays `get_facilitated_set_or_404`."""
    access = get_set_or_404(user, set_slug)
    check_read_facilitation(access)
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
