"""Parts of account pages that apps above this one add (the ladder: accounts imports none of them).

The preferences page shows each set's email level, which actionsets owns: actionsets connects a
contributor in its `AppConfig.ready()`; the page calls every contributor with the user and merges
the dicts they return into its template context.
"""

from .hooks import Contributions

# /accounts/preferences/: called with user=…
preferences_page = Contributions("preferences_page")
