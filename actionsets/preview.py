"""The editor's live preview (django-markdownx's endpoint), with the one length limit.

markdownx's own view renders whatever it is sent; one signed-in member posting 300,000
characters to it again and again is free load on the server. Here the limit every markdown field
has is checked first, and more is refused with 413 before anything is rendered. markdownx's script
puts whatever the endpoint answers into the preview pane, so the refusal is a short HTML
message the member reads where the preview would be.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.html import format_html
from markdownx.views import MarkdownifyView

from .markdown import render_markdown


class PreviewView(MarkdownifyView):
    def post(self, request, *args, **kwargs):
        content = request.POST.get("content", "")
        limit = settings.MARKDOWN_MAX_CHARS
        if len(content) > limit:
            message = format_html(
                '<p class="notice notice--error" role="alert">Too long to preview or post: this is {} characters; '
                "the limit is {}. Shorten it or split it into two posts.</p>", f"{len(content):,}", f"{limit:,}")
            return HttpResponse(message, status=413)
        # The same renderer as every stored field (MARKDOWNX_MARKDOWNIFY_FUNCTION names it too).
        return HttpResponse(render_markdown(content))
