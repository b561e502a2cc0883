"""A form as a browser would submit it: every field with the value shown (for admin form tests)."""

import html5lib


def form_data(html: str, form_id: str) -> dict:
    """Every field of an HTML form with the value a browser would submit unchanged."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    form = next(f for f in document.iter("form") if f.get("id") == form_id)
    data = {}
    for field in form.iter():
        name = field.get("name")
        if not name or field.get("disabled") is not None:
            continue
        if field.tag == "input" and field.get("type") in {"checkbox", "radio"}:
            if field.get("checked") is not None:
                data[name] = field.get("value", "on")
        elif field.tag == "input" and field.get("type") not in {"submit", "button", "image", "file"}:
            data[name] = field.get("value", "")
        elif field.tag == "textarea":
            data[name] = field.text or ""
        elif field.tag == "select":
            chosen = [o.get("value", o.text) for o in field.iter("option") if o.get("selected") is not None]
            data[name] = chosen[0] if chosen else ""
    return data


