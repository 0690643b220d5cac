from django import template

from halsogap.numbers import format_number, format_signed

register = template.Library()


@register.filter
def swedish_number(value, decimals=1):
    """Show a number the Swedish way (decimal comma); '–' when missing."""
    return format_number(value, int(decimals))


@register.filter
def swedish_signed(value, decimals=1):
    """A change with its sign: '+0,4', '−1,2'."""
    return format_signed(value, int(decimals))


@register.simple_tag
def get_item(mapping, key):
    """Look a key up in a dict (Django templates cannot index by a variable)."""
    return mapping.get(key) if mapping else None
