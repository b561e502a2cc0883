from django import forms
from django.contrib import admin
from django.utils.translation import gettext

from .models import ActionCommitment, ActionSet, Airtime, Cohort, Membership, Reply, Round


class MembershipAdminForm(forms.ModelForm):
    """Staff never make anyone a researcher (not even themselves): only the set's facilitator grants
    that role, in the open (docs/research.md). A researcher's row may keep its role."""

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role == Membership.Role.RESEARCHER and (self.instance.pk is None or self.initial.get("role") != role):
            raise forms.ValidationError(gettext("Only the set's facilitator can grant the researcher role."))
        return role


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "joined_at", "left_at", "ground_rules_accepted_at", "notification_level"]
    form = MembershipAdminForm


# A round's process-review summary is what the set wrote about itself: set content, not shown.
ROUND_CONTENT_FIELDS = ["review_summary", "review_summary_html", "review_summary_by", "review_summarised_at"]


class RoundInline(admin.StackedInline):  # tabular inlines point aria-describedby at help text they never render
    model = Round
    extra = 0
    exclude = ROUND_CONTENT_FIELDS


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "starts_on", "ends_on", "archived"]
    list_filter = ["archived"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(ActionSet)
class ActionSetAdmin(admin.ModelAdmin):
    """Staff manage sets and memberships here; set content is not shown (privacy model)."""

    list_display = ["name", "slug", "cohort", "state", "quiet_after_days", "confidential_digests", "archived"]
    list_filter = ["cohort", "state", "archived"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [RoundInline, MembershipInline]
    # Ground rules are the set's own agreement, changed only by its renegotiation in the set
    # (proposal → adoption → every member accepts again). Staff never see set content, so the
    # text is neither shown nor editable here (issue 11); a new set gets its rules in the set.
    exclude = ["ground_rules", "ground_rules_html"]
    # The set's process belongs to its facilitator and members (the set's own pages).
    readonly_fields = ["rules_version", "rules_renegotiation_open", "self_managed", "self_managed_from_round",
                       "state_changed_at"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "action_set", "role", "joined_at", "left_at"]
    list_filter = ["role", "action_set__cohort"]
    raw_id_fields = ["user", "action_set"]
    search_fields = ["user__email", "action_set__slug"]
    form = MembershipAdminForm


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["action_set", "number", "opens_at", "closes_at"]
    list_filter = ["action_set__cohort"]
    exclude = ROUND_CONTENT_FIELDS


# Airtimes, replies, commitments, journal entries, introductions, check-ins, reviews and ground-rules
# versions are set content: only their set's members read them, in the app. They are deliberately
# not registered with the admin (tests/security/test_admin_content.py holds this).
_CONTENT_MODELS = (Airtime, Reply, ActionCommitment)
