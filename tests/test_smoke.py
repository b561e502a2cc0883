from actionsets.markdown import render_markdown


def test_markdown_renders_emphasis():
    assert render_markdown("**hello**") == "<p><strong>hello</strong></p>"
