"""Every write of the enrolment app. Views and the import_cohort command call these."""

from .allocations import AllocationOptions, commit_allocation, move_in_allocation, preview_allocation
from .batches import commit_enrolment, enrol_person, preview_enrolment, scrub_enrolment_files
from .cohorts import assign_facilitator, change_roles, create_cohort, create_set, rename_set, set_cohort_archived, update_cohort
from .members import accept_invitation, move_member, remove_member, renew_invitation, resend_invitation

__all__ = [
    "AllocationOptions", "commit_allocation", "move_in_allocation", "preview_allocation",
    "accept_invitation", "assign_facilitator", "change_roles", "commit_enrolment", "create_cohort", "create_set", "enrol_person",
    "move_member", "preview_enrolment", "remove_member", "rename_set", "renew_invitation", "resend_invitation", "scrub_enrolment_files",
    "set_cohort_archived", "update_cohort",
]
