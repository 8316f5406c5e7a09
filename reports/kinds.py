"""The registry of document kinds: where each gets its data, who issues it, its template.

A kind's `build(source)` returns the document's whole content as plain JSON data (the
snapshot): the template renders only from it, so an issued document can be rendered
again from its snapshot alone and a draft from live data, with the same template.
"""

from dataclasses import dataclass

from django.http import Http404

from clusters.access import access_for
from clusters.models import ClusterYear, Province, Unit


@dataclass(frozen=True)
class Issuer:
    """Who issues a document and in which number series."""

    province: Province
    cluster_year: ClusterYear | None
    series: str
    symbol: str
    header_parent: str
    header_name: str
    place: str

    def heading(self, abbreviation: str) -> dict:
        """The snapshot keys every document of this issuer shares: header, symbol (e.g.
        "BB-CTĐ3"; none for an unnumbered table), number (set on issue) and place."""
        return {
            "header": {"parent": self.header_parent, "name": self.header_name},
            "symbol": f"{abbreviation}-{self.symbol}" if abbreviation else "",
            "number": None,
            "place": self.place,
        }


def cluster_issuer(term: ClusterYear) -> Issuer:
    """A cluster keeps its own series (NĐ 30: an advisory body numbers its own documents)."""
    cluster = term.cluster
    province = cluster.province
    return Issuer(
        province=province,
        cluster_year=term,
        series=f"cluster-{cluster.pk}",
        symbol=cluster.symbol or (f"CTĐ{cluster.number}" if cluster.number else "CTĐ"),
        header_parent=term.header_parent
        or province.authority_name
        or f"UBND TỈNH {province.name}".upper(),
        header_name=term.header_name or cluster.name.upper(),
        place=place_of(term.head_unit, term.last_day) if term.head_unit else province.name,
    )


def province_issuer(province: Province, *, body: str, symbol: str) -> Issuer:
    return Issuer(
        province=province,
        cluster_year=None,
        series=f"province-{province.pk}",
        symbol=symbol,
        header_parent=province.authority_name or f"UBND TỈNH {province.name}".upper(),
        header_name=body,
        place=province.name,
    )


def place_of(unit: Unit, day) -> str:
    """The place line's name of a unit: its name on that day without "Huyện", "Xã"…"""
    name = unit.name_on(day)
    for prefix in ("Thành phố ", "Thị xã ", "Huyện ", "Phường ", "Xã ", "Thị trấn ", "Sở "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


class DocumentKind:
    code: str
    abbreviation: str = ""  # BB, TTr, BC, QĐ; empty for an unnumbered table
    template: str
    landscape: bool = False
    docx = None  # a function snapshot -> bytes, for the kinds the e-dossier wants in Word

    def get_source(self, request, key: str):
        """The object the document is built from, or Http404 when the user may not see it."""
        raise NotImplementedError

    def key(self, source) -> str:
        return str(source.pk)

    def issuer(self, source) -> Issuer:
        raise NotImplementedError

    def build(self, source) -> dict:
        raise NotImplementedError

    def period(self, source) -> str:
        """six_month or annual, for the leaders' filters; empty when it does not apply."""
        return ""

    def may_issue(self, request, source) -> bool:
        """The head of the cluster's term, or the province's staff."""
        access = access_for(request.user)
        issuer = self.issuer(source)
        if access.can_manage_province(issuer.province.pk):
            return True
        return (
            issuer.cluster_year is not None
            and issuer.cluster_year.pk in access.head_cluster_year_ids
        )


KINDS: dict[str, DocumentKind] = {}


def register(cls):
    KINDS[cls.code] = cls()
    return cls


def get_kind(code: str) -> DocumentKind:
    from . import builders  # noqa: F401  (the modules register their kinds)

    try:
        return KINDS[code]
    except KeyError:
        raise Http404 from None
