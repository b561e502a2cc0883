"""What happened in a set, announced to the apps above this one.

actionsets is the ground floor of the app ladder (docs/architecture.md): it never imports
facilitation, engagement or enrolment. When something here must cause something there — a reply is
posted, so watchers get an email — the service announces an event and the higher app, which
connected a listener in its `AppConfig.ready()`, does its part:

    # actionsets/services.py                     # engagement/apps.py
    events.reply_posted.send_on_commit(           def ready(self):
        reply_id=reply.pk)                            events.reply_posted.connect(on_reply_posted)

Like Django's signals, but explicit and after commit: a rolled-back write announces nothing, and
a listener's failure cannot undo the write that caused it (docs/architecture.md, section 1).
"""

from collections.abc import Callable

from django.db import transaction


class Event:
    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Callable[..., object]] = []

    def connect(self, listener: Callable[..., object]) -> None:
        if listener not in self._listeners:  # ready() can run twice (tests, autoreload)
            self._listeners.append(listener)

    def send(self, **payload: object) -> None:
        """Call every listener now: for callers already running after the commit."""
        for listener in list(self._listeners):
            listener(**payload)

    def send_on_commit(self, **payload: object) -> None:
        """Call every listener with `payload` once the current transaction commits (at once
        outside a transaction)."""
        for listener in list(self._listeners):
            transaction.on_commit(lambda listener=listener: listener(**payload))

    def __repr__(self) -> str:
        return f"<Event {self.name}: {len(self._listeners)} listener(s)>"


# An airtime was presented: payload airtime_id.
airtime_presented = Event("airtime_presented")
# A reply was posted: payload reply_id.
reply_posted = Event("reply_posted")


class Contributions:
    """Parts of a page that a higher app adds: each contributor is called with the page's own
    arguments and returns a dict merged into the template context. The thread page uses it for the
    facilitator's annotations, which facilitation owns."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._contributors: list[Callable[..., dict]] = []

    def connect(self, contributor: Callable[..., dict]) -> None:
        if contributor not in self._contributors:
            self._contributors.append(contributor)

    def collect(self, **arguments: object) -> dict:
        context: dict = {}
        for contributor in self._contributors:
            context.update(contributor(**arguments))
        return context


# The thread page: contributors get access, airtime and replies (the ones this reader sees).
thread_page = Contributions("thread_page")
