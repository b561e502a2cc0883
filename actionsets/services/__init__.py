"""Every write in actionsets, by subject. Import from here: `from actionsets import services`.

- checks: what every write checks and prepares (body, access, the moderation log);
- posts: ground rules accepted, airtimes, replies, read state, commitments, rounds and members;
- process: the facilitator's process choices, phase windows, check-ins, process reviews;
- lifecycle: the set's stages, ground-rules versions, introductions, evaluation, self-management;
- journal: the private journal;
- presence: the day of a member's last visit;
- files: files private to a set (attachments, the editor's uploads);
- drafts: what a member writes before posting (saved as they write, private to them);
- helpful: the presenter's "this question helped me" marks.
"""

from .checks import (  # noqa: F401
    WORD_RE,
    Prepared,
    access_for,
    count_words,
    log_action,
    log_actions,
    prepare,
    require_body,
    require_can_post,
    require_editable,
    require_facilitator,
    require_guide,
    require_title,
)
from .drafts import discard_draft, draft_place, purge_drafts, save_draft  # noqa: F401
from .files import (  # noqa: F401
    attach_files,
    delete_files,
    prepare_files,
    sweep_pending_uploads,
    upload_pending,
)
from .helpful import WHY_MAX_CHARS, mark_helpful, unmark_helpful  # noqa: F401
from .journal import (  # noqa: F401
    PROMPTS,
    edit_entry,
    entries_for,
    export_markdown,
    write_entry,
)
from .lifecycle import (  # noqa: F401
    TRANSITION_LABELS,
    TRANSITIONS,
    adopt_ground_rules,
    change_set_state,
    evaluate_set,
    hand_over,
    introduce,
    open_renegotiation,
    propose_ground_rules,
    rules_open,
    take_back,
)
from .presence import note_visit  # noqa: F401
from .posts import (  # noqa: F401
    REPORT_SECTIONS,
    REPORTED_STATUSES,
    AdviceNudge,
    accept_ground_rules,
    add_member,
    dismiss_welcome,
    edit_airtime,
    edit_reply,
    mark_read,
    memberships_created,
    open_round,
    post_reply,
    present_airtime,
    record_commitment,
    remove_member,
    remove_members,
    report_back,
    schedule_round,
    set_ground_rules,
    set_notification_level,
)
from .process import (  # noqa: F401
    MAX_WINDOW_HOURS,
    REVIEW_GRACE,
    WINDOW_FIELDS,
    check_in,
    compose_review,
    default_windows,
    review_is_open,
    review_process,
    review_window,
    set_phase_windows,
    set_process_options,
    summarise_review,
)
