"""Dates of a snapshot (ISO text) as documents print them."""

import datetime

from django import template

from .. import layout

register = template.Library()


@register.filter
def iso_date_words(value) -> str:
    """ "2023-02-20" → "ngày 20 tháng 02 năm 2023"; blanks to fill in for a draft without a date."""
    if not value:
        return "ngày … tháng … năm …"
    return layout.date_words(datetime.date.fromisoformat(value))
