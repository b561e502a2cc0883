"""The moderation log: an append-only record of every facilitator and staff action."""


from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils import timezone
from .sets import ActionSet

# The set-process models (check-ins, reviews, journal, ground-rules versions, life-cycle) live in
# their own module to keep this one readable; importing them here registers them with the app.
class ModerationAction(models.Model):
    """Append-only log of every facilitator and admin action."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hid a reply")
        RESTORE = "restore", _("Restored a reply")
        LOCK = "lock", _("Locked an airtime")
        UNLOCK = "unlock", _("Unlocked an airtime")
        EDIT = "edit", _("Edited a post")
        RESOLVE_FLAG = "resolve_flag", _("Resolved a flag")
        REMOVE_MEMBER = "remove_member", _("Removed a member")
        MOVE_MEMBER = "move_member", _("Moved a member")
        ADD_MEMBER = "add_member", _("Added a member")
        SCHEDULE_ROUND = "schedule_round", _("Scheduled a round")
        CHANGE_ROUND = "change_round", _("Changed a round")
        CLOSE_ROUND = "close_round", _("Closed a round early")
        # Staff actions from /manage/ (enrolment app).
        CREATE_COHORT = "create_cohort", _("Created a cohort")
        EDIT_COHORT = "edit_cohort", _("Edited a cohort")
        ARCHIVE_COHORT = "archive_cohort", _("Archived a cohort")
        RESTORE_COHORT = "restore_cohort", _("Restored an archived cohort")
        CREATE_SET = "create_set", _("Created a set")
        RENAME_SET = "rename_set", _("Renamed a set")
        ASSIGN_FACILITATOR = "assign_facilitator", _("Assigned a facilitator")
        CHANGE_ROLE = "change_role", _("Changed a member's role")
        ENROL_BATCH = "enrol_batch", _("Enrolled people from a file")
        ALLOCATE_COHORT = "allocate_cohort", _("Allocated a cohort into sets")
        RESEND_INVITATION = "resend_invitation", _("Resent an invitation")
        FLAG = "flag", _("Flagged a reply")
        ANNOTATE = "annotate", _("Annotated a reply")
        REMOVE_ANNOTATION = "remove_annotation", _("Removed an annotation")
        # The set process (actionsets/services/process.py, services/lifecycle.py).
        PROCESS_OPTIONS = "process_options", _("Changed the set's process options")
        PHASE_WINDOWS = "phase_windows", _("Changed a round's phase windows")
        REVIEW_SUMMARY = "review_summary", _("Summarised a process review")
        SET_STATE = "set_state", _("Moved the set to a new stage")
        RULES_VERSION = "rules_version", _("Adopted a ground-rules version")
        RULES_OPEN = "rules_open", _("Opened or closed a ground-rules renegotiation")
        SELF_MANAGED = "self_managed", _("Handed the set to self-management")
        # Research (research app, docs/research.md).
        RESEARCH_EXPORT = "research_export", _("Exported research data")
        REGISTER_STUDY = "register_study", _("Registered a research study")
        GRANT_RESEARCHER = "grant_researcher", _("Granted the researcher role")
        REVOKE_RESEARCHER = "revoke_researcher", _("Revoked the researcher role")

    action_set = models.ForeignKey(ActionSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # No `choices=` on purpose: the list grows with every new kind of action, and a choice list on
    # the field would make each addition a migration. Action validates in code (log_action).
    action = models.CharField(max_length=20)
    target_type = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "facilitation_moderationaction"  # moved from facilitation; the table kept its name
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["action_set", "created_at"])]

    def get_action_display(self) -> str:
        try:
            return self.Action(self.action).label
        except ValueError:
            return self.action

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display().lower()} ({self.target_type} {self.target_id})"
