from django import template

from halsogap.charts import format_number

register = template.Library()


@register.filter
def swedish_number(value, decimals=1):
    """Show a number the Swedish way (decimal comma); '–' when missing."""
    return format_number(value, decimals=int(decimals))


@register.filter
def swedish_signed(value, decimals=1):
    if value is None:
        return "–"
    text = format_number(abs(value), decimals=int(decimals))
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


@register.simple_tag
def get_item(mapping, key):
    """Look a key up in a dict (Django templates cannot index by a variable)."""
    return mapping.get(key) if mapping else None
