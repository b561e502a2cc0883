"""The XSS corpus (tests/security/payloads.py) in real Chromium with a dialog hook: no payload may open a dialog.

CSP is bypassed here on purpose, so the sanitiser is judged alone (the CSP is the second line,
checked in tests/browser/test_pages.py). Each page is loaded, every element hovered and focused
where cheap, and the editor preview is filled the way markdownx does it (innerHTML).
"""

import pytest
from django.urls import reverse

from actionsets import services

from tests.security.payloads import PAYLOADS
from tests.security.render_places import seed

pytestmark = [pytest.mark.security, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# markdownx puts the server's preview HTML into the page with innerHTML: do exactly that.
PREVIEW_ALL = """
async (payloads) => {
  const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
  const preview = document.querySelector('.markdownx-preview');
  for (const content of payloads) {
    const body = new URLSearchParams({content, csrfmiddlewaretoken: token});
    const response = await fetch('/markdownx/markdownify/', {method: 'POST', body,
      headers: {'X-CSRFToken': token}});
    preview.innerHTML = await response.text();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return payloads.length;
}
"""


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    page.evaluate("""() => { for (const el of document.querySelectorAll('main *')) {
        for (const type of ['mouseover', 'pointerenter', 'focus', 'click']) {
          if (type === 'click' && el.closest('a[href], button, form')) continue;
          el.dispatchEvent(new Event(type, {bubbles: true}));
        } } }""")


def test_no_payload_opens_a_dialog_in_chromium(new_context):
    seeded = seed(PAYLOADS)
    services.set_ground_rules(action_set=seeded.action_set, ground_rules="\n\n".join(PAYLOADS))
    dialogs = []
    context = new_context(seeded.reader, bypass_csp=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
    slug = seeded.action_set.slug
    urls = [seeded.action_set.get_absolute_url(), seeded.airtimes[0].get_absolute_url(),
            seeded.round2_airtime.get_absolute_url(), reverse("actionsets:commitments", args=[slug]),
            reverse("actionsets:rules", args=[slug])]
    urls += [a.get_absolute_url() for a in seeded.airtimes[1::4]]
    for url in urls:
        _visit(page, url)
    # The journal always has a markdownx editor (a thread's reply form depends on its phase).
    page.goto(reverse("actionsets:journal", args=[slug]))
    assert page.evaluate(PREVIEW_ALL, PAYLOADS) == len(PAYLOADS)
    presenter = new_context(seeded.presenter, bypass_csp=True).new_page()
    presenter.on("dialog", lambda dialog: (dialogs.append((presenter.url, dialog.message)), dialog.dismiss()))
    _visit(presenter, reverse("home"))
    _visit(presenter, reverse("actionsets:airtime_new", args=[slug]))
    assert dialogs == []


def test_the_dialog_hook_does_fire(new_context):
    """The harness itself: an unsanitised handler must be seen."""
    page = new_context(bypass_csp=True).new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_content("<img src=x onerror=alert('seen')>")
    page.wait_for_timeout(300)
    assert dialogs == ["seen"]
