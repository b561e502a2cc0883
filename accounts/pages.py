"""Parts of account pages that apps above this one add (the ladder: accounts imports none of them).

The preferences page shows each set's email level, which actionsets owns: actionsets connects a
contributor in its `AppConfig.ready()`; the page calls every contributor with the user and merges
the dicts they return into its template context.
"""

from collections.abc import Callable


class Contributions:
    def __init__(self, name: str) -> None:
        self.name = name
        self._contributors: list[Callable[..., dict]] = []

    def connect(self, contributor: Callable[..., dict]) -> None:
        if contributor not in self._contributors:  # ready() can run twice (tests, autoreload)
            self._contributors.append(contributor)

    def collect(self, **arguments: object) -> dict:
        context: dict = {}
        for contributor in self._contributors:
            context.update(contributor(**arguments))
        return context


# /accounts/preferences/: called with user=…
preferences_page = Contributions("preferences_page")
