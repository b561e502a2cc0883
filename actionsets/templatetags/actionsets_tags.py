from django import template

register = template.Library()


@register.filter
def dictget(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def indent(depth) -> str:
    """CSS class for a reply's nesting depth (capped: deeper levels share the last indent)."""
    return f"depth-{min(int(depth or 0), 4)}"
