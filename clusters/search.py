"""Search across units, clusters and blocs, meetings, award decisions and issued documents.

`search(access, query)` answers with one group per kind: how many match, the first
`limit` of them, and where the full list is when a page lists that kind. Each group
costs one query, whatever the data (the count comes with the rows, as a window
function), and holds only what the user may see.

Matching ignores accents and case, and every word of the query must match somewhere
in the row, as on the unit list:

- units and clusters match on their folded `search_text` column (clusters.text.fold);
- meetings, decisions and documents have no such column. Their free text (a venue, a
  decision number, a title) is matched with a regular expression in which every letter
  stands for all its accented forms: "hong" becomes h[oòóỏõọôồ…]ng. Django's `regex`
  lookup runs on SQLite (Python's re) and PostgreSQL (~) alike. Names of related units
  and clusters are matched on their folded columns, and the labels of choices (a
  meeting's kind) in Python.

Issued documents live in the `reports` app, which depends on `clusters` and not the
other way round; they are read through the app registry, and left out if the app is
not installed.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .access import Access
from .models import AwardDecision, AwardForm, AwardRecipient, Cluster, Meeting, Unit
from .text import fold

LIMIT = 10


def _accent_variants() -> dict[str, str]:
    """Every Latin letter with diacritics (both cases), under the ASCII letter it folds to."""
    variants: dict[str, str] = {}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded.isalpha():
            upper = char.upper()
            variants[folded] = variants.get(folded, "") + char + (upper if len(upper) == 1 else "")
    return {
        letter: "".join(dict.fromkeys(letter + letter.upper() + chars))
        for letter, chars in variants.items()
    }


VARIANTS = _accent_variants()
# Combining marks, for text stored decomposed (NFD): "o" followed by its marks.
MARKS = "[\u0300-\u036f]*"


def accent_pattern(word: str) -> str:
    """A regular expression that finds `word` (folded) in text with or without accents
    or capitals: "hong" matches "Hồng", "HỒNG" and "hong"; "d" matches "đ"."""
    parts = []
    for char in fold(word):
        if char in VARIANTS:
            parts.append(f"[{VARIANTS[char]}]{MARKS}")
        elif char.isalpha():
            parts.append(f"[{char}{char.upper()}]{MARKS}")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _folded_matches(pattern: str, text: str) -> bool:
    return re.search(pattern, unicodedata.normalize("NFC", text)) is not None


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""
    date: datetime.date | None = None


@dataclass
class Group:
    kind: str
    label: str
    count: int = 0
    hits: list[Hit] = field(default_factory=list)
    # The page listing every match, where one exists.
    more_url: str = ""

    @property
    def more(self) -> int:
        return self.count - len(self.hits)


def _page(queryset: QuerySet, limit: int) -> tuple[int, list]:
    """The first `limit` rows and the number of all rows, in one query."""
    rows = list(queryset.annotate(search_total=Window(Count("pk")))[:limit])
    return (rows[0].search_total if rows else 0), rows


def _text_q(word: str, *fields: str) -> Q:
    pattern = accent_pattern(word)
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__regex": pattern})
    return condition


def _units(access: Access, query: str, limit: int) -> Group:
    units = Unit.objects.filter(access.units_q()).search(query).order_by("sort_key", "pk")
    count, rows = _page(units, limit)
    return Group(
        "units",
        _("Units"),
        count,
        [Hit(u.name, u.get_absolute_url(), u.get_kind_display()) for u in rows],
        f"{reverse('clusters:unit_list')}?{urlencode({'q': query})}",
    )


def _clusters(access: Access, words: list[str], query: str, limit: int) -> Group:
    clusters = Cluster.objects.filter(access.clusters_q())
    for word in words:
        clusters = clusters.filter(search_text__contains=word)
    count, rows = _page(clusters.order_by("kind", "sort_key", "pk"), limit)
    return Group(
        "clusters",
        _("Clusters and blocs"),
        count,
        [Hit(c.name, c.get_absolute_url(), c.get_kind_display()) for c in rows],
        f"{reverse('clusters:cluster_list')}?{urlencode({'q': query})}",
    )


def _meetings(access: Access, words: list[str], limit: int) -> Group:
    meetings = Meeting.objects.filter(
        cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q())
    )
    for word in words:
        pattern = accent_pattern(word)
        kinds = [k for k, label in Meeting.Kind.choices if _folded_matches(pattern, str(label))]
        meetings = meetings.filter(
            _text_q(word, "venue")
            | Q(cluster_year__cluster__search_text__contains=word)
            | Q(host_unit__search_text__contains=word)
            | Q(kind__in=kinds)
        )
    meetings = meetings.select_related("cluster_year__cluster").order_by("-date", "-pk")
    count, rows = _page(meetings, limit)
    hits = [
        Hit(
            f"{m.get_kind_display()} – {m.cluster_year.cluster.name} {m.cluster_year.year}",
            m.get_absolute_url(),
            m.venue,
            m.date,
        )
        for m in rows
    ]
    return Group("meetings", _("Meetings"), count, hits)


def _decisions(access: Access, words: list[str], limit: int) -> Group:
    """Decisions are read by the staff and leaders of their province only."""
    if not (access.superuser or access.viewer_provinces):
        return Group("decisions", _("Award decisions"))
    decisions = AwardDecision.objects.all()
    if not access.superuser:
        decisions = decisions.filter(province_id__in=access.viewer_provinces)
    for word in words:
        pattern = accent_pattern(word)
        decisions = decisions.filter(
            _text_q(word, "number")
            | Q(award_form__in=AwardForm.objects.filter(name__regex=pattern))
            | Q(
                pk__in=AwardRecipient.objects.filter(unit__search_text__contains=word).values(
                    "decision_id"
                )
            )
        )
    decisions = decisions.select_related("award_form").order_by("-date", "number", "pk")
    count, rows = _page(decisions, limit)
    hits = [Hit(d.number, d.get_absolute_url(), d.award_form.name, d.date) for d in rows]
    return Group("decisions", _("Award decisions"), count, hits)


def _documents(access: Access, words: list[str], limit: int) -> Group | None:
    """Issued documents: the province's for its staff and leaders, a cluster's for
    whoever sees the cluster (as reports.views decides for one document)."""
    if not apps.is_installed("reports"):
        return None
    Document = apps.get_model("reports", "Document")
    documents = Document.objects.all()
    if not access.superuser:
        documents = documents.filter(
            Q(province_id__in=access.viewer_provinces)
            | Q(cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q()))
        )
    for word in words:
        documents = documents.filter(_text_q(word, "title", "number_text", "code"))
    documents = documents.order_by("-issued_at", "-pk")
    count, rows = _page(documents, limit)
    hits = [
        Hit(
            " – ".join(part for part in (d.number_text, d.title) if part),
            d.get_absolute_url(),
            d.get_kind_display(),
            timezone.localdate(d.issued_at),
        )
        for d in rows
    ]
    return Group("documents", _("Issued documents"), count, hits)


def search(access: Access, query: str, limit: int = LIMIT) -> list[Group]:
    """What the user may see that matches `query`, grouped by kind; nothing for a query
    without letters or digits."""
    words = fold(query).split()
    if not words:
        return []
    groups = [
        _units(access, query, limit),
        _clusters(access, words, query, limit),
        _meetings(access, words, limit),
        _decisions(access, words, limit),
        _documents(access, words, limit),
    ]
    return [group for group in groups if group is not None]
