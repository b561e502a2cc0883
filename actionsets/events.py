"""What happened in a set, announced to the apps above this one.

actionsets sits just above accounts on the app ladder (docs/architecture.md): it never imports
facilitation, engagement or enrolment. When something here must cause something there — a reply is
posted, so watchers get an email — the service announces an event and the higher app, which
connected a listener in its `AppConfig.ready()`, does its part:

    # actionsets/services.py                     # engagement/apps.py
    events.reply_posted.send_on_commit(           def ready(self):
        reply_id=reply.pk)                            events.reply_posted.connect(on_reply_posted)

Like Django's signals, but explicit and after commit: a rolled-back write announces nothing, and
a listener's failure cannot undo the write that caused it (docs/architecture.md, section 1).
"""

from accounts.hooks import Contributions, Event

# An airtime was presented: payload airtime_id.
airtime_presented = Event("airtime_presented")
# A reply was posted: payload reply_id.
reply_posted = Event("reply_posted")
# Members were named in a post with their @handle (issue 14): payload airtime_id, reply_id (None for
# the airtime itself), author_id, user_ids (the current members named, not the author).
members_mentioned = Event("members_mentioned")
# Memberships began (added, enrolled, moved, made facilitator): payload membership_ids.
members_added = Event("members_added")
# The moderation log gained a row (a facilitator hid or restored a reply, locked a thread …):
# payload action_id. Announced by `services.log_action`, so every logged action is announced.
moderation_logged = Event("moderation_logged")


# The thread page: contributors get access, airtime and replies (the ones this reader sees).
thread_page = Contributions("thread_page")
