"""Every non-trivial read in actionsets. Import from here: `from actionsets import selectors`.

- sets: home, the set page, rounds, members, commitments, process stewards;
- threads: a thread's replies and who may see which (the visibility rule forms and emails share);
- process: a round's page and a member's continuity view;
- todo: what waits for me, per set (home and the set page);
- waiting: what waits for a member's answer, and ask-before-you-see for batches (emails too);
- presence: read receipts, last visits in plain words, who has posted this round;
- files: a thread's, a journal's and a person's files;
- drafts: a member's own drafts (only ever the writer's).
"""

from .drafts import draft_for, drafts_in_thread, drafts_of  # noqa: F401
from .files import files_uploaded_by, journal_files, post_files, thread_files  # noqa: F401
from .presence import MemberCard, ReadReceipts, member_card, posted_in_round, read_receipts, visit_words  # noqa: F401
from .process import (  # noqa: F401
    ContinuityRound,
    RoundPage,
    continuity_for,
    round_page,
)
from .sets import (  # noqa: F401
    SetHome,
    SetSummary,
    airtimes_with_read_state,
    asks_before_seeing,
    commitments_in_set,
    current_round,
    home_for,
    is_in_a_set,
    listed_airtimes,
    membership_prefetch,
    mention_candidates,
    memberships_with_users,
    open_commitment_count,
    process_stewards,
    rounds_of,
    set_home,
    steward_for_round,
    steward_rota,
)
from .threads import (  # noqa: F401
    Thread,
    filter_visible,
    members_yet_to_ask,
    reply_visible_in_thread,
    revisions_of,
    thread_for,
    unanswered_questions,
    visible_replies_for,
    withholds_questions,
)
from .todo import SetTodo, TodoItem, my_memberships, presented_in, todo_for  # noqa: F401
from .waiting import AskFirst, waiting_for, waiting_replies  # noqa: F401
