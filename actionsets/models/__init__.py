"""The set process's models, by subject. Import from here: `from actionsets.models import Reply`.

- sets: cohorts, sets, memberships, rounds;
- posts: airtimes, replies, commitments, read markers, revisions;
- process: check-ins, process reviews, the journal, ground-rules versions, introductions, the
  ending evaluation, the steward rota;
- log: the moderation log;
- files: attachments, files private to a set;
- drafts: what a member is writing and has not posted yet;
- search: the search index's rows (written by actionsets.search).
"""

from .drafts import DRAFT_RETENTION_DAYS, Draft  # noqa: F401
from .files import Attachment  # noqa: F401
from .log import ModerationAction  # noqa: F401
from .posts import (  # noqa: F401
    MAX_REPLY_DEPTH,
    PATH_SEGMENT_WIDTH,
    ActionCommitment,
    Airtime,
    HelpfulMark,
    ReadMarker,
    Reply,
    Revision,
)
from .process import (  # noqa: F401
    ENERGY_CHOICES,
    CheckIn,
    GroundRulesVersion,
    Introduction,
    JournalEntry,
    ProcessReview,
    SetEvaluation,
    StewardRota,
)
from .search import SearchDocument  # noqa: F401
from .sets import ActionSet, Cohort, Membership, MembershipQuerySet, Round, SetState  # noqa: F401
