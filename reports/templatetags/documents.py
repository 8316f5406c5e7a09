from django import template

from .. import layout

register = template.Library()

register.filter("vn_number", layout.vn_number)


@register.filter
def vn_decimal(value, places=2):
    """A score as printed: two decimals with a decimal comma ("912,50")."""
    return layout.vn_number(value, places=int(places))
