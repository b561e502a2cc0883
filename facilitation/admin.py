"""Admin for coding schemes (editable) and read-only views of annotations, flags and the log.

Staff do not read the content of sets they are not members of (docs/architecture.md, section 2): annotation
notes and flag reasons are about a set's posts, so they are left out here; facilitators read them
in the set. The moderation log is append-only: nobody adds, changes or deletes rows here.
"""

from django.contrib import admin

from .models import Annotation, Code, CodingScheme, Flag
from actionsets.models import ModerationAction


class CodeInline(admin.TabularInline):
    model = Code
    extra = 1
    fields = ["position", "slug", "label", "description"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(CodingScheme)
class CodingSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    inlines = [CodeInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyAdmin):
    list_display = ["code", "reply_id", "facilitator", "created_at"]
    list_filter = ["code__scheme", "code"]
    fields = ["reply_id", "code", "facilitator", "created_at"]
    readonly_fields = fields
    list_select_related = ["code", "facilitator"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["reply_id", "flagged_by", "created_at", "resolved_at", "outcome"]
    list_filter = ["outcome"]
    fields = ["reply_id", "flagged_by", "created_at", "resolved_at", "resolved_by", "outcome"]
    readonly_fields = fields
    list_select_related = ["flagged_by"]


# Reasons for membership changes are the admins' own business; reasons on posts (hide, flag, edit…)
# describe a set's content, so the admin shows them only in the set, to its facilitators.
ADMIN_REASONS = {ModerationAction.Action.ADD_MEMBER, ModerationAction.Action.REMOVE_MEMBER,
                 ModerationAction.Action.MOVE_MEMBER}


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action_set", "actor", "action", "target_type", "target_id", "shown_reason"]
    list_filter = ["action", "action_set"]
    search_fields = ["actor__email", "action_set__slug"]
    fields = ["created_at", "action_set", "actor", "action", "target_type", "target_id", "shown_reason"]
    readonly_fields = fields
    list_select_related = ["actor", "action_set"]

    @admin.display(description="reason")
    def shown_reason(self, obj) -> str:
        if obj.action in ADMIN_REASONS:
            return obj.reason
        return "(visible to the set's facilitators)" if obj.reason else ""
