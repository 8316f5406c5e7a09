"""Quyết định khen thưởng: the provincial chairman's award decision with its annex list of
recipients (domain.md §5.2 k; NĐ 30/2020 Mẫu 1.2).

The number and date are the decision's own (it is recorded after the chairman signs);
the bases are the laws in force on its date; the cash amounts are those stored with the
decision, never recomputed from later reference data.
"""

from django.http import Http404

from clusters import text
from clusters.access import access_for
from clusters.decision_services import signature_lines
from clusters.models import AwardDecision, AwardForm
from clusters.views.decisions import _get_decision_for_user
from reports import docx_writer as w
from reports import layout, legal_basis
from reports.kinds import DocumentKind, province_issuer, register
from reports.models import Kind

LEADING_LEVELS = (AwardForm.Level.PROVINCIAL_FLAG, AwardForm.Level.GOVERNMENT_FLAG)
EXECUTORS = (
    "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Giám đốc Sở Tài chính, "
    "Thủ trưởng các đơn vị có tên tại Điều 1 và các cơ quan, đơn vị có liên quan chịu trách "
    "nhiệm thi hành Quyết định này./."
)
RECIPIENTS = ["Như Điều 4", "CT, các PCT UBND tỉnh", "Lưu: VT, SNV"]


def committee_name(authority_name: str, province_name: str) -> str:
    """ "UBND TỈNH ĐỒNG THÁP" → "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP": the header and authority
    line spell the committee out."""
    name = authority_name.strip().upper() or f"UBND TỈNH {province_name.upper()}"
    if name.startswith("UBND "):
        name = "ỦY BAN NHÂN DÂN " + name.removeprefix("UBND ")
    return name


def header_lines(full_name: str) -> str:
    """The committee's name on two lines, "ỦY BAN NHÂN DÂN" above "TỈNH ĐỒNG THÁP"."""
    head = "ỦY BAN NHÂN DÂN "
    if not full_name.startswith(head):
        return full_name
    return head.strip() + "\n" + full_name.removeprefix(head)


def committee_short(full_name: str, province_name: str) -> str:
    """ "UBND tỉnh Đồng Tháp" (or "UBND thành phố …"), as running text names it."""
    level = "thành phố" if "THÀNH PHỐ" in full_name else "tỉnh"
    return f"UBND {level} {province_name}"


def money(amount) -> str:
    """ "11.920.000 đồng"."""
    return f"{layout.vn_number(amount, places=0)} đồng"


def multiple_text(multiple) -> str:
    """A multiple of the base salary as the decree writes it: "8,0", "1,5", "0,25"."""
    words = layout.vn_number(multiple)
    return words if "," in words else words + ",0"


def article_1(form_name: str, count: int, *, leading: bool, scope: str, year: int | None) -> str:
    """Điều 1: the award, to how many collectives, for what."""
    movement = " ".join(part for part in ("phong trào thi đua", scope) if part)
    if year:
        movement += f" năm {year}"
    merit = f"dẫn đầu {movement}" if leading else f"trong {movement}"
    return (
        f"Tặng {form_name} cho {count:02d} tập thể đã có thành tích xuất sắc"
        f"{',' if leading else ''} {merit} (có danh sách kèm theo)."
    )


def article_2(form_name: str, multiple, base_salary, amounts: list) -> str:
    """Điều 2: the cash reward per collective and in all, with where it is paid from."""
    each = (
        f"Kèm theo {form_name}, mỗi tập thể được thưởng {multiple_text(multiple)} lần mức "
        f"lương cơ sở ({money(base_salary)})"
    )
    if len(set(amounts)) == 1:
        each += f" là {money(amounts[0])}"
    else:
        each += "; số tiền thưởng của từng tập thể theo danh sách kèm theo"
    return (
        f"{each}; tổng số tiền thưởng là {money(sum(amounts, 0))}. Kinh phí khen thưởng chi "
        "từ Quỹ Thi đua, khen thưởng của tỉnh."
    )


def scope_of(cluster_names: list[str]) -> str:
    """Whose movement the recipients led: one cluster's, or the province's clusters'."""
    names = list(dict.fromkeys(name for name in cluster_names if name))
    if len(names) == 1:
        return names[0]
    if names:
        return "các cụm, khối thi đua của tỉnh"
    return ""


ANNEX_HEADERS = ["STT", "Tên tập thể", "Thành tích", "Số tiền (đồng)"]


def word_document(snapshot: dict) -> bytes:
    """The decision in Word, paragraph for paragraph as the HTML prints it."""
    doc = w.new_document(snapshot)
    w.add_header(doc, snapshot)
    w.add_title(doc, snapshot)
    w.add_paragraph(doc, snapshot["authority_line"], bold=True, align="center", indent=False)
    w.add_paragraphs(doc, snapshot["bases"], italic=True)
    w.add_paragraph(doc, "QUYẾT ĐỊNH:", bold=True, align="center", indent=False)
    for article in snapshot["articles"]:
        w.add_paragraph(doc, [(article["head"], {"bold": True}), (" " + article["text"], {})])
    w.add_signatures(doc, snapshot)
    w.add_page_break(doc)
    annex = snapshot["annex"]
    w.add_paragraph(doc, annex["title"], bold=True, align="center", indent=False)
    w.add_paragraph(doc, annex["note"], italic=True, align="center", indent=False)
    rows = [
        [str(row["number"]), row["name"], row["citation"], row["amount"]] for row in annex["rows"]
    ]
    rows.append(["", "Tổng cộng", "", annex["total"]])
    w.add_table(
        doc,
        ANNEX_HEADERS,
        rows,
        widths=[1.3, 4.7, 7.3, 3.2],
        align=["center", "left", "left", "right"],
    )
    return w.to_bytes(doc)


@register
class AwardDecisionKind(DocumentKind):
    code = Kind.AWARD_DECISION
    abbreviation = "QĐ"
    template = "reports/award_decision.html"
    docx = staticmethod(word_document)

    def get_source(self, request, key: str) -> AwardDecision:
        try:
            pk = int(key)
        except ValueError:
            raise Http404 from None
        return _get_decision_for_user(request, pk)

    def issuer(self, source: AwardDecision):
        province = source.province
        body = committee_name(province.authority_name, province.name)
        return province_issuer(province, body=body, symbol="UBND")

    def period(self, source: AwardDecision) -> str:
        return "annual"

    def may_issue(self, request, source: AwardDecision) -> bool:
        """A province's document: its staff issue it, never a cluster head."""
        return access_for(request.user).can_manage_province(source.province_id)

    def build(self, source: AwardDecision) -> dict:
        decision = source
        province = decision.province
        form = decision.award_form
        issuer = self.issuer(decision)
        full_name = issuer.header_name
        short_name = committee_short(full_name, province.name)
        day = decision.date
        recipients = list(
            decision.recipients.select_related(
                "unit", "proposal_item__proposal__cluster_year__cluster"
            ).prefetch_related("unit__names")
        )
        year = min((r.year for r in recipients), default=None)

        def cluster_of(recipient):
            item = recipient.proposal_item
            return item.proposal.cluster_year.cluster if item else None

        def order(recipient):
            cluster = cluster_of(recipient)
            rank = recipient.proposal_item.rank if recipient.proposal_item else None
            return (
                cluster.sort_key if cluster else "~",
                rank or 0,
                text.sort_key(recipient.unit.name_on(day)),
            )

        recipients.sort(key=order)
        amounts = [r.amount for r in recipients]
        committee_decides = decision.authority_prefix == AwardDecision.Prefix.TM
        authority = full_name if committee_decides else f"CHỦ TỊCH {full_name}"
        decided_by = short_name if committee_decides else f"Chủ tịch {short_name}"
        lines = signature_lines(decision)
        if decision.authority_prefix:
            signature = {"authority": lines[0], "role": lines[1] if len(lines) > 1 else ""}
        else:
            signature = {"authority": "", "role": lines[0] if lines else "CHỦ TỊCH"}
        articles = [
            {
                "head": "Điều 1.",
                "text": article_1(
                    form.name,
                    len(recipients),
                    leading=form.level in LEADING_LEVELS,
                    scope=scope_of([c.name for r in recipients if (c := cluster_of(r))]),
                    year=year,
                ),
            },
            {
                "head": "Điều 2.",
                "text": article_2(form.name, decision.multiple, decision.base_salary, amounts),
            },
            {"head": "Điều 3.", "text": "Quyết định này có hiệu lực thi hành kể từ ngày ký."},
            {"head": "Điều 4.", "text": EXECUTORS},
        ]
        year_text = f" năm {year}" if year else ""
        return {
            "meta": {
                "title": f"Quyết định số {decision.number} về việc tặng {form.name}{year_text}",
                "author": short_name.replace("UBND", "Ủy ban nhân dân"),
            },
            # The committee's name on two lines, as its header is set.
            "header": {"parent": "", "name": header_lines(full_name)},
            "symbol": f"{self.abbreviation}-{issuer.symbol}",
            "number": None,
            "number_text": decision.number,
            "place": issuer.place,
            "date": day.isoformat(),
            "title": "QUYẾT ĐỊNH",
            "summary": f"Về việc tặng {form.name}{year_text}",
            "authority_line": authority,
            "bases": legal_basis.basis_lines(
                legal_basis.decision_bases(day), closing="Theo đề nghị của Giám đốc Sở Nội vụ"
            ),
            "articles": articles,
            "signatures": [
                {**signature, "position": "", "name": decision.signer_name},
            ],
            "recipients": RECIPIENTS,
            "annex": {
                "title": f"DANH SÁCH TẬP THỂ ĐƯỢC TẶNG {form.name.upper()}{year_text.upper()}",
                "note": (
                    f"(Kèm theo Quyết định số {decision.number} {layout.date_words(day)} "
                    f"của {decided_by})"
                ),
                "rows": [
                    {
                        "number": number,
                        "name": recipient.unit.name_on(day),
                        "citation": recipient.citation,
                        "amount": layout.vn_number(recipient.amount, places=0),
                    }
                    for number, recipient in enumerate(recipients, start=1)
                ],
                "total": layout.vn_number(sum(amounts, 0), places=0),
            },
        }
