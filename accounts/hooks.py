"""The app ladder's two hooks (docs/architecture.md, section 1), at its foot so every app may use
them: a lower app owns an Event or a Contributions instance, a higher app connects to it in its
`AppConfig.ready()`, and the lower app never imports the higher one.

- Event: something happened; listeners run after the commit (a rolled-back write announces
  nothing, and a listener's failure cannot undo the write that caused it).
- Contributions: parts of a page that higher apps add to its template context.
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
