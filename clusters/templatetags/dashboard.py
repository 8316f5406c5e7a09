"""The dashboard's step cells in Python: forty clusters × six steps made the template
engine (and the date filter) the slowest part of the home page."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _day(value) -> str:
    """dd/mm/yyyy, the SHORT_DATE_FORMAT of both languages (emulation/formats)."""
    return f"{value:%d/%m/%Y}" if value else ""


@register.simple_tag
def step_cell(step):
    """One step of a cluster's year: ✓ (yellow when late), ✗ when missed, – when still to
    do; the deadline under a step not done."""
    status = step.status
    if status == "done":
        mark = f'<span class="badge text-bg-success" title="{_day(step.done_on)}">✓</span>'
    elif status == "late":
        title = f"{escape(_('late'))} · {_day(step.done_on)}"
        mark = f'<span class="badge text-bg-warning" title="{title}">✓</span>'
    elif status == "missed":
        mark = f'<span class="badge text-bg-danger" title="{escape(_("missed"))}">✗</span>'
    else:
        mark = '<span class="text-muted">–</span>'
    if step.deadline and not step.done:
        mark += f'<div class="small text-muted text-nowrap">{step.deadline:%d/%m}</div>'
    return mark_safe(  # noqa: S308 (fixed markup, dates and escaped labels only)
        f'<td class="text-center" data-step="{escape(step.key)}" data-status="{status}">{mark}</td>'
    )
