"""The header's unread-notification count (templates/base.html): read only when the page renders
it, one small query (engagement.notifications.unread_count)."""

from django.utils.functional import SimpleLazyObject

from .notifications import unread_count


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
