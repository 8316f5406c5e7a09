"""Charts drawn on the server as SVG, from plain numbers and labels.

Pure functions: no models, no queries. Each takes lists of numbers and labels and
returns a `Chart`, a string of SVG markup that templates print as is ({{ chart }}) and
that the PDF builders can put into a document unchanged. Its `text` attribute holds
the chart's text alternative, the same words as its <desc>.

How they are drawn, so that one SVG serves the screen, the printer and WeasyPrint:

- <svg role="img" aria-labelledby="…"> with a <title> and a <desc> that states every
  value the chart shows;
- sizes in viewBox units, and only a width besides (its natural size, in CSS pixels,
  capped at the column's width): browsers and WeasyPrint both take the height from
  the viewBox's proportions, so the chart scales without losing shape (a height
  attribute, or "height: auto", makes WeasyPrint give it a page-high box);
- black and greys only; series differ by fill (solid, hatched), marker shape and dash,
  and values are written beside their marks, so nothing depends on colour;
- the PDF's serif font first (DocSerif, Liberation Serif), then any serif;
- every label is escaped with html.escape, and labels longer than the space for them
  are cut in the middle with "…" (the whole label stays in a <title> tooltip and in
  the <desc>);
- every coordinate is finite and inside the viewBox, whatever the numbers (empty
  lists, equal values, values far apart).
"""

import hashlib
import html
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FONT_FAMILY = "DocSerif, 'Liberation Serif', 'Times New Roman', serif"
FONT_SIZE = 12
SMALL = 10
# The average advance of a letter of the serif fonts at FONT_SIZE, to size label columns.
CHAR_WIDTH = 0.47 * FONT_SIZE
INK = "#000"
DARK = "#333"
GREY = "#666"
LIGHT = "#bbb"
FAINT = "#e6e6e6"
TITLE_HEIGHT = 26


class Chart(SafeString):
    """An SVG chart: markup safe to print as is, with its text alternative in `text`."""

    def __new__(cls, svg: str, text: str):
        chart = super().__new__(cls, svg)
        chart.text = text
        return chart


@dataclass(frozen=True)
class HistoryPoint:
    """One point of `rank_history`: a unit's result in one year.

    `label` is the year (the x axis), `name` the name the unit had then, `series` the
    unit (points of one series are joined by a line; a unit renamed stays one series).
    `percent` is its total as a percentage of its maximum, `rank` its rank among `count`
    units; None leaves the point out of that panel.
    """

    label: str
    name: str
    percent: float | None = None
    rank: int | None = None
    count: int | None = None
    series: str = ""


# --- Helpers -----------------------------------------------------------------------


# Characters XML 1.0 does not allow, even escaped (control characters, lone surrogates).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(value: object) -> str:
    return html.escape(NOT_XML.sub("", str(value)), quote=True)


def _c(value: float) -> str:
    """A coordinate, rounded to 0.01 of a unit."""
    if not math.isfinite(value):
        raise ValueError("a chart coordinate must be finite")
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: float, decimals: int = 2) -> str:
    """A number as the pages print it: decimal comma, at most `decimals` decimals."""
    if not math.isfinite(value):
        return "–"
    separator = formats.get_format("DECIMAL_SEPARATOR")
    if value == 0:
        return "0"
    if abs(value) >= 1e9 or abs(value) < 10 ** -max(decimals, 2) / 2:
        return f"{value:.3g}".replace(".", separator)
    text = formats.number_format(round(value, decimals), decimal_pos=decimals)
    if separator in text:
        text = text.rstrip("0").rstrip(separator)
    return "0" if text == "-0" else text


def _cut(label: str, width: float, font_size: float = FONT_SIZE) -> str:
    """The label, cut in the middle with "…" when it is wider than `width` (estimated).

    The end stays: names of one series differ there ("… trung học phổ thông số 2")."""
    letters = max(2, int(width / (CHAR_WIDTH / FONT_SIZE * font_size)))
    if len(label) <= letters:
        return label
    tail = (letters - 1) * 2 // 5
    start, end = label[: letters - 1 - tail], label[len(label) - tail :]
    # Whole words where that keeps at least half of each part.
    if " " in start[len(start) // 2 :]:
        start = start.rsplit(" ", 1)[0]
    if " " in end[: len(end) // 2]:
        end = end.split(" ", 1)[1]
    return start.rstrip() + "…" + end.lstrip()


def _uid(kind: str, *parts: object) -> str:
    # Deterministic, so that the same chart renders the same bytes; distinct per data,
    # so that two charts on one page do not share the ids aria-labelledby refers to.
    digest = hashlib.sha1(repr((kind, parts)).encode()).hexdigest()[:10]
    return f"chart-{kind}-{digest}"


def _text(x, y, content, *, anchor="start", size=FONT_SIZE, weight="", fill=INK, tip=""):
    """A text at (x, y); `tip` is a tooltip (the whole of a label cut to fit)."""
    attributes = f'x="{_c(x)}" y="{_c(y)}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if size != FONT_SIZE:
        attributes += f' font-size="{size}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    if fill != INK:
        attributes += f' fill="{fill}"'
    tooltip = f"<title>{_esc(tip)}</title>" if tip else ""
    return f"<text {attributes}>{_esc(content)}{tooltip}</text>"


def _line(x1, y1, x2, y2, *, stroke=INK, width=1.0, dash=""):
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_c(x1)}" y1="{_c(y1)}" x2="{_c(x2)}" y2="{_c(y2)}" '
        f'stroke="{stroke}" stroke-width="{_c(width)}"{dashes}/>'
    )


def _svg(uid: str, width: float, height: float, title: str, desc: str, body: list[str]) -> Chart:
    width, height = max(width, 1), max(height, 1)
    markup = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_c(width)} {_c(height)}" width="{_c(width)}" style="max-width: 100%" '
        f'aria-labelledby="{uid}-title {uid}-desc" '
        f'font-family="{_esc(FONT_FAMILY)}" font-size="{FONT_SIZE}">'
        f'<title id="{uid}-title">{_esc(title)}</title>'
        f'<desc id="{uid}-desc">{_esc(desc)}</desc>' + "".join(body) + "</svg>"
    )
    return Chart(markup, f"{title}. {desc}" if title else desc)


@dataclass(frozen=True)
class _Axis:
    """Maps values between lo and hi onto start…end, clamped; safe for any finite floats."""

    lo: float
    hi: float
    start: float
    end: float

    def at(self, value: float) -> float:
        # Halves, so that hi − lo cannot overflow for values near the largest float.
        span = self.hi / 2 - self.lo / 2
        if not span > 0:
            return (self.start + self.end) / 2
        # A share beyond ±1 (a span too small for the division) is clamped like any other.
        share = min(1.0, max(0.0, (value / 2 - self.lo / 2) / span))
        return self.start + share * (self.end - self.start)


def _ticks(lo: float, hi: float, count: int = 5) -> tuple[float, float, list[float], int]:
    """A domain widened to round numbers, its tick values and the decimals they need.

    Falls back to the bare extremes where round steps cannot be computed (values too
    far apart or too close for a float)."""
    if lo == hi:
        return lo, hi, [lo], 2
    span = hi - lo
    if math.isfinite(span) and span > 0:
        raw = span / count
        magnitude = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 0.0
        if 0 < magnitude < math.inf:
            step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
            low, high = lo / step, hi / step
            # Beyond 2**53 steps from zero, round multiples of the step are not floats.
            if max(abs(low), abs(high)) < 2**53:
                first, last = math.floor(low) * step, math.ceil(high) * step
                steps = math.ceil(high) - math.floor(low)
            else:
                first, last, steps = lo, hi, 0
            if math.isfinite(first) and math.isfinite(last) and 0 < steps <= 12:
                decimals = min(6, max(0, -math.floor(math.log10(step)) + (step % 1 != 0)))
                ticks = [first + i * step for i in range(steps + 1)]
                return min(first, lo), max(last, hi), ticks, decimals
    return lo, hi, [lo, hi], 2


def _bottom_axis(axis: _Axis, ticks: list[float], decimals: int, y: float, top: float) -> list:
    """A horizontal axis at y with faint grid lines up to `top` and tick labels below."""
    body = [_line(axis.start, y, axis.end, y, stroke=GREY)]
    for tick in ticks:
        x = axis.at(tick)
        body.append(_line(x, top, x, y, stroke=FAINT))
        body.append(_line(x, y, x, y + 4, stroke=GREY))
        body.append(_text(x, y + 16, number(tick, decimals), anchor="middle", fill=DARK))
    return body


def _title(title: str, width: float, show: bool) -> list[str]:
    if not show or not title:
        return []
    return [_text(8, 17, _cut(title, width - 16, 13), size=13, weight="bold")]


def _mean(values: list[float]) -> float:
    """The mean of finite values, finite even where their sum would overflow."""
    try:
        mean = math.fsum(v / len(values) for v in values)
    except OverflowError:
        mean = math.fsum(v / 2 / len(values) for v in values) * 2
    return min(max(mean, min(values)), max(values))


def _anchor_within(x: float, label: str, left: float, right: float, size=FONT_SIZE) -> str:
    """The text-anchor that keeps a label drawn at x between left and right."""
    half = len(label) * 0.5 * size / 2
    if x - half < left:
        return "start"
    if x + half > right:
        return "end"
    return "middle"


# --- (a) Score distribution --------------------------------------------------------


def score_distribution(
    values: Sequence[float],
    *,
    title: str,
    max_score: float | None = None,
    labels: Sequence[str] | None = None,
    width: float = 640,
    height: float = 200,
    show_title: bool = True,
) -> Chart:
    """The members' totals of one cluster as a dot plot, with their mean.

    `values` are the totals (any order); `labels`, if given, name them in the same order
    (shown as tooltips and in the text alternative). `max_score` draws the maximum of
    the score sheet as a dotted line. Dots of equal or close totals are stacked.
    Returns a Chart (an SVG string; `.text` is its text alternative).
    """
    values = [float(v) for v in values]
    labels = [str(label) for label in labels] if labels is not None else []
    uid = _uid("distribution", title, values, labels, max_score, width, height)
    body = _title(title, width, show_title)
    if not values:
        desc = _("No scores to show.")
        body.append(_text(width / 2, height / 2, desc, anchor="middle", fill=GREY))
        return _svg(uid, width, height, title, desc, body)

    mean = _mean(values)
    shown = [*values] + ([float(max_score)] if max_score is not None else [])
    lo, hi, ticks, decimals = _ticks(min(shown), max(shown))
    left, right = 24.0, width - 24.0
    top, axis_y = (TITLE_HEIGHT if show_title else 0) + 34.0, height - 30.0
    axis = _Axis(lo, hi, left, right)
    body += _bottom_axis(axis, ticks, decimals, axis_y, top)

    if max_score is not None:
        x = axis.at(float(max_score))
        label = _("Maximum %(value)s") % {"value": number(float(max_score))}
        body.append(_line(x, top - 14, x, axis_y, stroke=GREY, dash="2 3"))
        anchor = _anchor_within(x, label, 0, width, SMALL)
        body.append(_text(x, top - 18, label, anchor=anchor, size=SMALL, fill=GREY))

    # Stack dots whose centres are closer than a dot: each goes on the lowest free level.
    radius = 5.0
    placed: list[tuple[float, int, int]] = []
    level_ends: list[float] = []
    for index in sorted(range(len(values)), key=lambda i: values[i]):
        x = axis.at(values[index])
        level = next(
            (n for n, end in enumerate(level_ends) if x - end >= 2 * radius + 1), len(level_ends)
        )
        if level == len(level_ends):
            level_ends.append(x)
        level_ends[level] = x
        placed.append((x, level, index))
    room = axis_y - top - 4
    spacing = min(2 * radius + 2, room / max(1, len(level_ends)))
    dot = max(1.0, min(radius, spacing / 2))
    for x, level, index in placed:
        y = axis_y - 4 - dot - level * spacing
        name = labels[index] if index < len(labels) else ""
        tip = f"{name}: {number(values[index])}" if name else number(values[index])
        body.append(
            f'<circle cx="{_c(x)}" cy="{_c(max(top, y))}" r="{_c(dot)}" fill="{INK}">'
            f"<title>{_esc(tip)}</title></circle>"
        )

    x = axis.at(mean)
    label = _("Mean %(value)s") % {"value": number(mean)}
    body.append(_line(x, top - 2, x, axis_y, stroke=INK, width=1.5, dash="6 3"))
    body.append(_text(x, top - 5, label, anchor=_anchor_within(x, label, 0, width), weight="bold"))

    desc = ngettext(
        "%(count)d score; lowest %(low)s, highest %(high)s, mean %(mean)s.",
        "%(count)d scores; lowest %(low)s, highest %(high)s, mean %(mean)s.",
        len(values),
    ) % {
        "count": len(values),
        "low": number(min(values)),
        "high": number(max(values)),
        "mean": number(mean),
    }
    if labels:
        pairs = [f"{labels[i]} {number(v)}" for i, v in enumerate(values) if i < len(labels)]
        desc += " " + "; ".join(pairs) + "."
    return _svg(uid, width, height, title, desc, body)


# --- (b) A unit's scores by criteria group against the cluster's average -------------


def _hatch(uid: str) -> str:
    return (
        f'<defs><pattern id="{uid}-hatch" patternUnits="userSpaceOnUse" width="5" height="5" '
        f'patternTransform="rotate(45)"><rect width="5" height="5" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="{DARK}" stroke-width="2"/></pattern></defs>'
    )


def group_comparison(
    rows: Sequence[tuple[str, float | None, float | None, float | None]],
    *,
    title: str,
    unit_label: str,
    average_label: str | None = None,
    width: float = 640,
    show_title: bool = True,
) -> Chart:
    """A unit's points per criteria group against the cluster's average, as pairs of
    horizontal bars: the unit solid, the average hatched.

    Each row is (group label, unit's points, cluster average, group maximum); a None
    value draws no bar and a None maximum measures the row against the largest value
    of the chart. The height follows the number of rows.
    """
    rows = [
        (
            str(label),
            None if unit is None else float(unit),
            None if average is None else float(average),
            None if maximum is None else float(maximum),
        )
        for label, unit, average, maximum in rows
    ]
    average_label = average_label or _("Cluster average")
    uid = _uid("groups", title, rows, unit_label, average_label, width)
    row_height, bar = 52.0, 12.0
    top = (TITLE_HEIGHT if show_title else 0) + 30.0
    height = top + max(1, len(rows)) * row_height + 8
    body = [_hatch(uid), *_title(title, width, show_title)]

    # Legend: the solid unit bar, the hatched average bar, the outlined maximum.
    legend_y = top - 22
    x = 8.0
    for fill, label in (
        (INK, unit_label),
        (f"url(#{uid}-hatch)", average_label),
        ("#fff", _("Maximum of the group")),
    ):
        label = _cut(label, width / 3 - 24)
        body.append(
            f'<rect x="{_c(x)}" y="{_c(legend_y)}" width="14" height="10" fill="{fill}" '
            f'stroke="{DARK}" stroke-width="0.8"/>'
        )
        body.append(_text(x + 19, legend_y + 9, label))
        x += 19 + len(label) * CHAR_WIDTH + 22

    if not rows:
        desc = _("No criteria groups to show.")
        body.append(_text(width / 2, top + 26, desc, anchor="middle", fill=GREY))
        return _svg(uid, width, height, title, desc, body)

    finite = [v for row in rows for v in row[1:] if v is not None]
    largest = max(finite, default=0.0)
    left, track_end = 8.0, width - 78.0
    lines = []
    for n, (label, unit, average, maximum) in enumerate(rows):
        y = top + n * row_height
        body.append(_text(left, y + 11, _cut(label, width - 110), weight="bold"))
        full = maximum if maximum is not None and maximum > 0 else largest
        axis = _Axis(0.0, full if full > 0 else 1.0, left, track_end)
        for offset, value, fill in (
            (16.0, unit, INK),
            (16.0 + bar + 3, average, f"url(#{uid}-hatch)"),
        ):
            body.append(
                f'<rect x="{_c(left)}" y="{_c(y + offset)}" width="{_c(track_end - left)}" '
                f'height="{_c(bar)}" fill="#fff" stroke="{LIGHT}" stroke-width="0.8"/>'
            )
            if value is not None:
                end = axis.at(value)
                body.append(
                    f'<rect x="{_c(left)}" y="{_c(y + offset)}" width="{_c(end - left)}" '
                    f'height="{_c(bar)}" fill="{fill}" stroke="{DARK}" stroke-width="0.8"/>'
                )
            shown = number(value) if value is not None else "–"
            body.append(_text(track_end + 6, y + offset + bar - 2, shown))
        maximum_text = number(maximum) if maximum is not None else "–"
        if maximum is not None:
            shown = _("maximum %(value)s") % {"value": maximum_text}
            body.append(_text(width - 4, y + 11, shown, anchor="end", fill=GREY, size=SMALL))
        lines.append(
            _("%(group)s: %(unit)s %(points)s, %(average_label)s %(average)s, maximum %(maximum)s")
            % {
                "group": label,
                "unit": unit_label,
                "points": number(unit) if unit is not None else "–",
                "average_label": average_label,
                "average": number(average) if average is not None else "–",
                "maximum": maximum_text,
            }
        )
    return _svg(uid, width, height, title, "; ".join(lines) + ".", body)


# --- (c) A unit's rank and score over the years -------------------------------------

# Marks of the series, so that lines differ in print without colour.
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 3", "2 3", "8 3 2 3")


def _marker(shape: str, x: float, y: float, *, hollow: bool = False, tip: str = "") -> str:
    """A series mark centred on (x, y), with a tooltip when `tip` is given."""
    if shape == "square":
        tag, geometry = "rect", f'x="{_c(x - 4)}" y="{_c(y - 4)}" width="8" height="8"'
    elif shape == "triangle":
        tag, geometry = "path", f'd="M{_c(x)} {_c(y - 5)}L{_c(x + 5)} {_c(y + 4)}H{_c(x - 5)}Z"'
    elif shape == "diamond":
        tag = "path"
        geometry = (
            f'd="M{_c(x)} {_c(y - 5)}L{_c(x + 5)} {_c(y)}L{_c(x)} {_c(y + 5)}L{_c(x - 5)} {_c(y)}Z"'
        )
    else:
        tag, geometry = "circle", f'cx="{_c(x)}" cy="{_c(y)}" r="4"'
    paint = f'fill="{"#fff" if hollow else INK}" stroke="{INK}" stroke-width="1.2"'
    if tip:
        return f"<{tag} {geometry} {paint}><title>{_esc(tip)}</title></{tag}>"
    return f"<{tag} {geometry} {paint}/>"


def _name_runs(points: list[HistoryPoint]) -> str:
    """ "Huyện A (2022–2025)", or several such runs when the unit was renamed."""
    runs: list[list[HistoryPoint]] = []
    for point in points:
        if runs and runs[-1][-1].name == point.name:
            runs[-1].append(point)
        else:
            runs.append([point])
    parts = []
    for run in runs:
        years = run[0].label if len(run) == 1 else f"{run[0].label}–{run[-1].label}"
        parts.append(f"{run[0].name} ({years})")
    return " → ".join(parts)


def rank_history(
    points: Sequence[HistoryPoint],
    *,
    title: str,
    width: float = 640,
    show_title: bool = True,
) -> Chart:
    """A unit's score (percentage of the maximum) and rank over the years, in two panels
    that share the years, with one line per unit of its lineage.

    `points` are in time order. A unit and each predecessor it descends from is a
    series (HistoryPoint.series) with its own marker and dash, named in the legend under
    the names it bore and when. The points of a year with a single point are labelled
    with their value and rank ("2/7"); the others have it in their tooltip.
    """
    points = [
        HistoryPoint(
            str(p.label),
            str(p.name),
            None if p.percent is None else float(p.percent),
            p.rank,
            p.count,
            str(p.series or p.name),
        )
        for p in points
    ]
    uid = _uid("history", title, points, width)
    series = list(dict.fromkeys(p.series for p in points))
    labels = list(dict.fromkeys(p.label for p in points))
    base = TITLE_HEIGHT if show_title else 0
    score_top, score_bottom = base + 22.0, base + 122.0
    rank_top, rank_bottom = base + 164.0, base + 224.0
    axis_y = rank_bottom + 12
    height = axis_y + 30 + 18 * len(series)
    body = _title(title, width, show_title)
    if not points:
        desc = _("No results to show.")
        body.append(_text(width / 2, base + 60, desc, anchor="middle", fill=GREY))
        return _svg(uid, width, base + 120, title, desc, body)

    left, right = 56.0, width - 24.0
    slot = (right - left) / len(labels)
    x_of = {label: left + slot * (i + 0.5) for i, label in enumerate(labels)}
    # Values beside the marks only where they cannot collide: a year with one point.
    counts = Counter(p.label for p in points)
    labelled = {label for label, count in counts.items() if count == 1}
    style = {key: (MARKERS[n % 4], DASHES[n % 4], n >= 4) for n, key in enumerate(series)}

    def panel(values, axis, text_of):
        drawn = []
        for key in series:
            marker, dash, hollow = style[key]
            own = [(x_of[p.label], v, p) for p, v in values if p.series == key]
            for run in _runs(own):
                if len(run) > 1:
                    coordinates = " ".join(f"{_c(x)},{_c(axis.at(v))}" for x, v, _p in run)
                    dashes = f' stroke-dasharray="{dash}"' if dash else ""
                    drawn.append(
                        f'<polyline points="{coordinates}" fill="none" stroke="{INK}" '
                        f'stroke-width="1.5"{dashes}/>'
                    )
            for x, v, p in own:
                if v is None:
                    continue
                y = axis.at(v)
                tip = f"{p.label}, {p.name}: {text_of(p)}"
                drawn.append(_marker(marker, x, y, hollow=hollow, tip=tip))
                if p.label in labelled:
                    drawn.append(_text(x, y - 8, text_of(p), anchor="middle", size=SMALL))
        return drawn

    # Score panel: percentages on round ticks.
    body.append(_text(8, score_top - 8, _("Score, percent of the maximum"), fill=DARK))
    percents = [p.percent for p in points if p.percent is not None]
    if percents:
        lo, hi, ticks, decimals = _ticks(min(percents), max(percents), 4)
        axis = _Axis(lo, hi, score_bottom, score_top + 14)
        for tick in ticks:
            y = axis.at(tick)
            body.append(_line(left, y, right, y, stroke=FAINT))
            body.append(_text(left - 6, y + 4, number(tick, decimals), anchor="end", fill=DARK))
        body += panel([(p, p.percent) for p in points], axis, lambda p: number(p.percent))

    # Rank panel: rank 1 at the top, labelled "rank/count".
    body.append(_text(8, rank_top - 8, _("Rank"), fill=DARK))
    ranks = [p.rank for p in points if p.rank is not None]
    if ranks:
        worst = max(ranks + [p.count for p in points if p.rank is not None and p.count])
        axis = _Axis(1.0, float(worst), rank_top + 8, rank_bottom)
        for tick in sorted({1, worst}):
            y = axis.at(tick)
            body.append(_line(left, y, right, y, stroke=FAINT))
            body.append(_text(left - 6, y + 4, str(tick), anchor="end", fill=DARK))
        body += panel(
            [(p, p.rank) for p in points],
            axis,
            lambda p: f"{p.rank}/{p.count}" if p.count else str(p.rank),
        )

    # The years, then one legend line per series: its mark and the names it bore.
    body.append(_line(left, axis_y, right, axis_y, stroke=GREY))
    for label, x in x_of.items():
        body.append(_line(x, axis_y, x, axis_y + 4, stroke=GREY))
        body.append(_text(x, axis_y + 16, _cut(label, slot), anchor="middle"))
    for n, key in enumerate(series):
        marker, dash, hollow = style[key]
        y = axis_y + 36 + 18 * n
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="8" y1="{_c(y - 4)}" x2="40" y2="{_c(y - 4)}" stroke="{INK}" '
            f'stroke-width="1.5"{dashes}/>'
        )
        body.append(_marker(marker, 24, y - 4, hollow=hollow))
        names = _name_runs([p for p in points if p.series == key])
        shown = _cut(names, width - 56)
        body.append(_text(48, y, shown, tip=names if shown != names else ""))

    lines = []
    for p in points:
        parts = []
        if p.percent is not None:
            parts.append(_("%(percent)s percent of the maximum") % {"percent": number(p.percent)})
        if p.rank is not None:
            parts.append(
                _("rank %(rank)s of %(count)s") % {"rank": p.rank, "count": p.count or "–"}
            )
        lines.append(f"{p.label}, {p.name}: " + (", ".join(parts) or _("not ranked")))
    return _svg(uid, width, height, title, "; ".join(lines) + ".", body)


def _runs(marks: list[tuple[float, float | None, object]]) -> list[list]:
    """Consecutive marks with a value; a missing value breaks the line."""
    runs: list[list] = [[]]
    for mark in marks:
        if mark[1] is None:
            runs.append([])
        else:
            runs[-1].append(mark)
    return runs


# --- (d) Cluster against cluster ---------------------------------------------------


def cluster_comparison(
    rows: Sequence[tuple[str, float | None, float | None, float | None]],
    *,
    title: str,
    max_score: float | None = None,
    width: float = 640,
    show_title: bool = True,
) -> Chart:
    """Clusters side by side: for each, the range of its members' totals (lowest to
    highest) as a line and their mean as a diamond, all on one horizontal axis.

    Each row is (cluster label, lowest, mean, highest), in the order to draw; a row
    with None values says "no ranking". `max_score` draws the maximum as a dotted line
    (use percentages of the maximum to compare clusters whose sheets differ: 100).
    The height follows the number of rows.
    """
    rows = [
        (
            str(label),
            *(None if v is None else float(v) for v in (low, mean, high)),
        )
        for label, low, mean, high in rows
    ]
    uid = _uid("clusters", title, rows, max_score, width)
    row_height = 26.0
    top = (TITLE_HEIGHT if show_title else 0) + 40.0
    axis_y = top + max(1, len(rows)) * row_height + 4
    height = axis_y + 28
    body = _title(title, width, show_title)
    legend_y = top - 24
    body.append(
        f'<path d="M8 {_c(legend_y - 4)}V{_c(legend_y + 4)}M8 {_c(legend_y)}H30'
        f'M30 {_c(legend_y - 4)}V{_c(legend_y + 4)}" stroke="{INK}" fill="none"/>'
    )
    low_high = _("lowest to highest total")
    body.append(_text(36, legend_y + 4, low_high))
    diamond_x = 36 + len(low_high) * CHAR_WIDTH + 24
    body.append(_diamond(diamond_x, legend_y))
    body.append(_text(diamond_x + 10, legend_y + 4, _("mean")))

    if not rows:
        desc = _("No clusters to show.")
        body.append(_text(width / 2, top + 16, desc, anchor="middle", fill=GREY))
        return _svg(uid, width, height, title, desc, body)

    longest = max(len(label) for label, *_values in rows)
    label_width = min(width * 0.42, longest * CHAR_WIDTH + 8)
    left, right = 8 + label_width + 8, width - 28
    known = [v for row in rows for v in row[1:] if v is not None]
    if max_score is not None:
        known.append(float(max_score))
    lo, hi, ticks, decimals = _ticks(min(known), max(known)) if known else (0.0, 1.0, [], 2)
    axis = _Axis(lo, hi, left, right)
    body += _bottom_axis(axis, ticks, decimals, axis_y, top - 6)
    if max_score is not None:
        x = axis.at(float(max_score))
        body.append(_line(x, top - 6, x, axis_y, stroke=GREY, dash="2 3"))

    lines = []
    for n, (label, low, mean, high) in enumerate(rows):
        y = top + n * row_height + row_height / 2
        shown = _cut(label, label_width)
        body.append(_text(8, y + 4, shown, tip=label if shown != label else ""))
        if low is None or high is None or mean is None:
            body.append(_text(left, y + 4, _("no ranking"), fill=GREY, size=SMALL))
            lines.append(_("%(cluster)s: no ranking") % {"cluster": label})
            continue
        x1, x2, xm = axis.at(low), axis.at(high), axis.at(mean)
        body.append(
            f'<path d="M{_c(x1)} {_c(y - 5)}V{_c(y + 5)}M{_c(x1)} {_c(y)}H{_c(x2)}'
            f'M{_c(x2)} {_c(y - 5)}V{_c(y + 5)}" stroke="{INK}" stroke-width="1.5" fill="none"/>'
        )
        body.append(_diamond(xm, y))
        label_mean = number(mean)
        anchor = _anchor_within(xm, label_mean, left, width, SMALL)
        body.append(_text(xm, y - 7, label_mean, anchor=anchor, size=SMALL))
        lines.append(
            _("%(cluster)s: mean %(mean)s, from %(low)s to %(high)s")
            % {"cluster": label, "mean": number(mean), "low": number(low), "high": number(high)}
        )
    return _svg(uid, width, height, title, "; ".join(lines) + ".", body)


def _diamond(x: float, y: float) -> str:
    return (
        f'<path d="M{_c(x)} {_c(y - 6)}L{_c(x + 6)} {_c(y)}L{_c(x)} {_c(y + 6)}'
        f'L{_c(x - 6)} {_c(y)}Z" fill="{INK}" stroke="#fff" stroke-width="1"/>'
    )
