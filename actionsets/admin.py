from django.contrib import admin

from .models import ActionCommitment, ActionSet, Airtime, Cohort, Membership, Reply, Round


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "joined_at", "left_at", "ground_rules_accepted_at", "notification_level"]


class RoundInline(admin.StackedInline):  # tabular inlines point aria-describedby at help text they never render
    model = Round
    extra = 0


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
    # The set's process belongs to its facilitator and members (the set's own pages).
    readonly_fields = ["rules_version", "rules_renegotiation_open", "self_managed", "self_managed_from_round",
                       "state_changed_at"]

    def save_model(self, request, obj, form, change):
        from .markdown import render_markdown
        from .services import set_ground_rules

        obj.ground_rules_html = render_markdown(obj.ground_rules)
        super().save_model(request, obj, form, change)
        changed = form is None or "ground_rules" in form.changed_data  # no form: a scripted save
        if changed and obj.ground_rules.strip():
            # Ground rules are versioned: a change here is a new adopted version members accept.
            set_ground_rules(action_set=obj, ground_rules=obj.ground_rules)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "action_set", "role", "joined_at", "left_at"]
    list_filter = ["role", "action_set__cohort"]
    raw_id_fields = ["user", "action_set"]
    search_fields = ["user__email", "action_set__slug"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["action_set", "number", "opens_at", "closes_at"]
    list_filter = ["action_set__cohort"]


# Airtimes, replies and commitments are set content: only their set's members read them, in the
# app. They are deliberately not registered with the admin.
_CONTENT_MODELS = (Airtime, Reply, ActionCommitment)
