# The Chromium fixtures are shared with the browser suite.
from tests.browser.conftest import browser, new_context  # noqa: F401
