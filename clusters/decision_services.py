"""Award decisions of the provincial chairman (Quyết định khen thưởng) and their recipients.

A decision awards one form to units for the achievements of one year. Its recipients
are the accepted items of that year's processed proposals (at the form they were
proposed for, or the lower one they were reduced to) and, optionally, other units of
the province. The cash amount of each recipient is the multiple of the base salary for
the form, both read from the dated reference data in force on the decision date and
copied into the decision, so that later reference data never rewrites it.

Every rule about the data is checked here, and all problems are reported at once
(DecisionError.problems), so that the form can show them next to what was typed.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import award_rules, lineage
from .appraisal_services import awarded_form
from .models import (
    AwardDecision,
    AwardForm,
    AwardRecipient,
    BaseSalary,
    CashMultiple,
    Proposal,
    ProposalItem,
    Province,
    Unit,
    UnitSuccession,
)
from .services import ClusterError

Appraisal = ProposalItem.Appraisal
Level = AwardForm.Level

LAW_ART_5 = award_rules.LAW_ART_5
# Fields of the decision form that a problem belongs to, by code; others are general.
PROBLEM_FIELDS = {
    "number_taken": "number",
    "no_base_salary": "date",
    "no_multiple": "date",
    "before_submission": "date",
}


class DecisionError(ClusterError):
    """The decision cannot be saved; `problems` says every reason."""

    def __init__(self, problems: Sequence[award_rules.Problem]):
        self.problems = list(problems)
        super().__init__(" ".join(p.message for p in self.problems))


def _as_user(obj, user) -> None:
    """Record `user` as the author of the next history record, outside a request too."""
    if user is not None:
        obj._history_user = user


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def normalise_number(number: str) -> str:
    """ "123/QĐ-UBND" however it was typed: no surrounding or doubled spaces."""
    return " ".join(number.split())


def number_taken(province: Province, number: str, *, exclude_pk: int | None = None) -> bool:
    """Whether the province has another decision with this number, whatever the case.

    SQLite folds the case of ASCII letters only ("Đ" ≠ "đ"), so the candidates that
    share the part before the first slash are compared here.
    """
    number = normalise_number(number)
    head = number.split("/", 1)[0]
    taken = AwardDecision.objects.filter(province=province, number__istartswith=head)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    folded = number.casefold()
    return any(other.casefold() == folded for other in taken.values_list("number", flat=True))


def reference_values(award_form: AwardForm, day: datetime.date) -> tuple[Decimal, Decimal]:
    """(base salary, multiple) in force on `day` for `award_form`, from the reference data.

    Raises DecisionError when either is missing: the amount cannot be computed, and
    staff must add the row in the reference data first.
    """
    salaries = list(BaseSalary.objects.values_list("valid_from", "amount"))
    multiples = list(
        CashMultiple.objects.filter(award_form=award_form).values_list("valid_from", "multiple")
    )
    base_salary = award_rules.value_on(salaries, day)
    multiple = award_rules.value_on(multiples, day)
    problems = []
    if base_salary is None:
        problems.append(
            award_rules.Problem(
                "no_base_salary",
                _("No base salary is in force on %(date)s — add it in the reference data.")
                % {"date": _date(day)},
            )
        )
    if multiple is None:
        problems.append(
            award_rules.Problem(
                "no_multiple",
                _(
                    "No cash multiple for %(form)s is in force on %(date)s — add it in the "
                    "reference data."
                )
                % {"form": award_form.name, "date": _date(day)},
            )
        )
    if problems:
        raise DecisionError(problems)
    return base_salary, multiple


def candidate_items(
    province: Province, year: int, *, decision: AwardDecision | None = None
) -> QuerySet[ProposalItem]:
    """Items a decision for `year` may award: accepted or reduced items of the year's
    processed proposals in the province that no other decision awards yet."""
    awarded = AwardRecipient.objects.filter(proposal_item__isnull=False)
    if decision is not None and decision.pk:
        awarded = awarded.exclude(decision=decision)
    return (
        ProposalItem.objects.filter(
            proposal__cluster_year__cluster__province=province,
            proposal__cluster_year__year=year,
            proposal__state=Proposal.State.PROCESSED,
            appraisal__in=[Appraisal.ACCEPTED, Appraisal.REDUCED],
        )
        .exclude(pk__in=awarded.values("proposal_item_id"))
        .select_related("unit", "award_form", "reduced_to", "proposal__cluster_year__cluster")
        .order_by("proposal__cluster_year__cluster__sort_key", "award_form__position", "rank")
    )


def decision_year(decision: AwardDecision) -> int | None:
    """The year of the achievements a saved decision awards (one per decision)."""
    return decision.recipients.order_by("year").values_list("year", flat=True).first()


def citation(award_form: AwardForm, cluster_name: str | None, year: int) -> str:
    """What the decision says each recipient achieved, always in Vietnamese (it is
    printed in the decision, whatever the language of the interface)."""
    leading = award_form.level in (Level.PROVINCIAL_FLAG, Level.GOVERNMENT_FLAG)
    with override("vi"):
        if cluster_name and leading:
            text = _(
                "Outstanding achievements, leading the emulation movement of %(cluster)s "
                "in %(year)s"
            )
        elif cluster_name:
            text = _(
                "Outstanding achievements in the emulation movement of %(cluster)s in %(year)s"
            )
        else:
            text = _("Outstanding achievements in the emulation movement of %(year)s")
        return (text % {"cluster": cluster_name, "year": year})[:300]


# Who the signer signs for, after the authority prefix (NĐ 30/2020, Phụ lục I): the
# decision is the chairman's, or the committee's when signed on its behalf (TM.).
# Document text, always Vietnamese.
SIGNS_FOR = {AwardDecision.Prefix.TM: "ỦY BAN NHÂN DÂN"}
SIGNS_FOR_DEFAULT = "CHỦ TỊCH"


def signature_lines(decision: AwardDecision) -> list[str]:
    """The signature block above the name: "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"."""
    lines = []
    if decision.authority_prefix:
        signs_for = SIGNS_FOR.get(decision.authority_prefix, SIGNS_FOR_DEFAULT)
        lines.append(f"{decision.authority_prefix} {signs_for}")
    if decision.signer_position:
        lines.append(decision.signer_position.upper())
    return lines


def conflicting_levels(level: str) -> list[str]:
    """Levels that reward the same achievement as `level` (itself included when a
    second award of that level is one too many), from award_rules."""
    return sorted(
        other
        for other in award_rules.Level
        if frozenset({level, other}) in award_rules.DOUBLE_AWARD_CONFLICTS
    )


def _successors_existing_on(unit: Unit, day: datetime.date) -> list[Unit]:
    """The units that carried `unit` on and existed on `day`, nearest first."""
    links = list(
        UnitSuccession.objects.filter(predecessor__province_id=unit.province_id).select_related(
            "successor"
        )
    )
    units = {link.successor_id: link.successor for link in links if link.successor_id}
    distances = lineage.successors(
        [(link.predecessor_id, link.successor_id) for link in links], unit.pk
    )
    found = [units[pk] for pk in distances if units[pk].exists_on(day)]
    return sorted(found, key=lambda u: (distances[u.pk], u.sort_key, u.pk))


def _existence_problem(unit: Unit, day: datetime.date) -> award_rules.Problem | None:
    if unit.exists_on(day):
        return None
    if unit.valid_from and day < unit.valid_from:
        return award_rules.Problem(
            "unit_not_yet",
            _("%(unit)s did not exist yet on %(date)s (it started on %(start)s).")
            % {"unit": unit.name, "date": _date(day), "start": _date(unit.valid_from)},
        )
    successors = _successors_existing_on(unit, day)
    values = {"unit": unit.name, "date": _date(day), "end": _date(unit.valid_to)}
    if successors:
        values["successors"] = ", ".join(s.name for s in successors)
        message = _(
            "%(unit)s no longer existed on %(date)s (it ended on %(end)s); award the unit "
            "that carries it on instead: %(successors)s."
        )
    else:
        message = _("%(unit)s no longer existed on %(date)s (it ended on %(end)s).")
    return award_rules.Problem("unit_ended", message % values)


def _check(
    decision: AwardDecision, year: int, items: Sequence[ProposalItem], units: Sequence[Unit]
) -> list[award_rules.Problem]:
    problems: list[award_rules.Problem] = []
    day = decision.date
    form = decision.award_form
    if number_taken(decision.province, decision.number, exclude_pk=decision.pk):
        problems.append(
            award_rules.Problem(
                "number_taken",
                _("The province already has a decision numbered %(number)s.")
                % {"number": decision.number},
            )
        )
    if not items and not units:
        problems.append(award_rules.Problem("no_recipient", _("Choose at least one recipient.")))

    for item in items:
        proposal = item.proposal
        label = {"unit": item.unit.name, "cluster": proposal.cluster_year.cluster.name}
        if proposal.cluster_year.cluster.province_id != decision.province_id:
            problems.append(
                award_rules.Problem(
                    "other_province", _("%(unit)s was proposed in another province.") % label
                )
            )
            continue
        if proposal.state != Proposal.State.PROCESSED or awarded_form(item) is None:
            problems.append(
                award_rules.Problem(
                    "not_accepted",
                    _("The proposal of %(unit)s by %(cluster)s is not accepted by the appraisal.")
                    % label,
                )
            )
        elif awarded_form(item) != form.pk:
            problems.append(
                award_rules.Problem(
                    "other_form",
                    _("%(unit)s was appraised for another form than %(form)s.")
                    % {**label, "form": form.name},
                )
            )
        if proposal.cluster_year.year != year:
            problems.append(
                award_rules.Problem(
                    "other_year",
                    _("%(unit)s was proposed for %(proposed)s, not %(year)s.")
                    % {**label, "proposed": proposal.cluster_year.year, "year": year},
                )
            )
        if proposal.submitted_at:
            submitted = timezone.localdate(proposal.submitted_at)
            if day < submitted:
                problems.append(
                    award_rules.Problem(
                        "before_submission",
                        _(
                            "The decision date %(date)s is before %(cluster)s submitted its "
                            "proposal (%(submitted)s)."
                        )
                        % {**label, "date": _date(day), "submitted": _date(submitted)},
                    )
                )
    # A proposal with two items for one unit would be caught by the checks above
    # (another form); a unit both proposed and chosen by hand is caught here.
    all_units = [item.unit for item in items] + list(units)
    seen: set[int] = set()
    for unit in all_units:
        if unit.pk in seen:
            problems.append(
                award_rules.Problem(
                    "duplicate_unit",
                    _("%(unit)s is chosen twice.") % {"unit": unit.name},
                )
            )
        seen.add(unit.pk)
        if unit.province_id != decision.province_id:
            problems.append(
                award_rules.Problem(
                    "other_province",
                    _("%(unit)s is not a unit of %(province)s.")
                    % {"unit": unit.name, "province": decision.province.name},
                )
            )
            continue
        problem = _existence_problem(unit, day)
        if problem:
            problems.append(problem)

    # Law Art. 5: the same form twice for one year, or two forms for the same cluster
    # result (the flag and a certificate of merit), as award_rules pairs them.
    levels = conflicting_levels(form.level)
    earlier = (
        AwardRecipient.objects.filter(unit_id__in=seen, year=year)
        .filter(Q(decision__award_form=form) | Q(decision__award_form__level__in=levels))
        .select_related("unit", "decision__award_form")
        .order_by("decision__date", "pk")
    )
    if decision.pk:
        earlier = earlier.exclude(decision=decision)
    for recipient in earlier:
        problems.append(
            award_rules.Problem(
                "already_awarded",
                _(
                    "%(unit)s already received %(form)s for %(year)s by decision %(number)s: "
                    "one achievement is not awarded twice or with two forms."
                )
                % {
                    "unit": recipient.unit.name,
                    "form": recipient.decision.award_form.name,
                    "year": year,
                    "number": recipient.decision.number,
                },
                LAW_ART_5,
            )
        )
    return problems


@transaction.atomic
def decision_save(
    *,
    decision: AwardDecision,
    year: int,
    items: Sequence[ProposalItem] = (),
    units: Sequence[Unit] = (),
    user=None,
) -> AwardDecision:
    """Create or change a decision and its recipients for the achievements of `year`.

    1. The number is unique in the province; the base salary and the multiple in force
       on the decision date are copied in (again only when the date or form changed).
    2. Proposed items must be appraised for this form, in this year's processed
       proposals, submitted before the decision date; every unit must be of the
       province, exist on the decision date and not hold the same award (or the other
       of flag and certificate) for the same year.
    3. Recipients no longer chosen are removed; each kept or new one gets its year,
       citation and amount.
    """
    decision.number = normalise_number(decision.number)
    item_ids = [item.pk for item in items]
    items = list(
        ProposalItem.objects.filter(pk__in=item_ids).select_related(
            "unit", "proposal__cluster_year__cluster"
        )
    )
    problems = []
    previous = None
    if decision.pk:
        previous = AwardDecision.objects.filter(pk=decision.pk).values("date", "award_form").get()
    recompute = previous is None or (
        previous["date"] != decision.date or previous["award_form"] != decision.award_form_id
    )
    if recompute:
        try:
            decision.base_salary, decision.multiple = reference_values(
                decision.award_form, decision.date
            )
        except DecisionError as e:
            problems.extend(e.problems)
    problems.extend(_check(decision, year, items, units))
    if problems:
        raise DecisionError(problems)

    _as_user(decision, user)
    decision.save()
    amount = award_rules.cash_amount(decision.multiple, decision.base_salary)
    wanted = {item.unit_id: item for item in items}
    wanted.update((unit.pk, None) for unit in units)
    decision.recipients.exclude(unit_id__in=wanted).delete()
    existing = {r.unit_id: r for r in decision.recipients.all()}
    for unit_id, item in wanted.items():
        cluster = item.proposal.cluster_year.cluster.name if item else None
        recipient = existing.get(unit_id) or AwardRecipient(decision=decision, unit_id=unit_id)
        values = {
            "proposal_item_id": item.pk if item else None,
            "year": year,
            "citation": citation(decision.award_form, cluster, year),
            "amount": amount,
        }
        changed = [name for name, value in values.items() if getattr(recipient, name) != value]
        for name, value in values.items():
            setattr(recipient, name, value)
        _as_user(recipient, user)
        if recipient.pk is None:
            recipient.save()
        elif changed:
            recipient.save(update_fields=changed)
    return decision
