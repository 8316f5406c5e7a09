import datetime
from decimal import Decimal

import pytest

from clusters import appraisal_services, decision_services, selectors, services
from clusters.models import (
    AwardRecipient,
    BaseSalary,
    CashMultiple,
    Proposal,
    ProposalItem,
    Unit,
    UnitSuccession,
)
from clusters.services import ClusterError
from clusters.tests.decision_factories import (
    EXCELLENT,
    FLAG,
    GOVERNMENT_FLAG,
    MERIT,
    accept_all,
    add_multiples,
    award_form,
    make_decision,
    make_proposal,
)
from clusters.tests.factories import day, make_cluster, make_cluster_year, make_unit

pytestmark = pytest.mark.django_db

Appraisal = ProposalItem.Appraisal


def _codes(error: decision_services.DecisionError) -> list[str]:
    return [problem.code for problem in error.problems]


@pytest.fixture
def proposal(term3, tan_hong, hong_ngu):
    """Cụm thi đua số 3 proposes Tân Hồng for the flag and Hồng Ngự for the certificate."""
    return make_proposal(term3, [(tan_hong, FLAG), (hong_ngu, MERIT)])


@pytest.fixture
def processed(proposal):
    return accept_all(proposal)


@pytest.fixture
def multiples_2018(db):
    add_multiples(datetime.date(2018, 1, 1))


def _item(proposal, unit) -> ProposalItem:
    return proposal.items.get(unit=unit)


# --- Appraisal ---------------------------------------------------------------------


def test_reduction_needs_a_lower_form_and_a_reason(proposal, tan_hong):
    item = _item(proposal, tan_hong)
    with pytest.raises(ClusterError):
        appraisal_services.item_appraise(item=item, appraisal=Appraisal.REDUCED, reason="x")
    with pytest.raises(ClusterError):
        appraisal_services.item_appraise(
            item=item,
            appraisal=Appraisal.REDUCED,
            reduced_to=award_form(GOVERNMENT_FLAG),
            reason="x",
        )
    with pytest.raises(ClusterError):
        appraisal_services.item_appraise(
            item=item, appraisal=Appraisal.REDUCED, reduced_to=award_form(MERIT), reason=" "
        )
    appraisal_services.item_appraise(
        item=item, appraisal=Appraisal.REDUCED, reduced_to=award_form(MERIT), reason="Điểm thấp"
    )
    item.refresh_from_db()
    assert (item.appraisal, item.reduced_to.code, item.appraisal_reason) == (
        Appraisal.REDUCED,
        MERIT,
        "Điểm thấp",
    )


def test_rejection_needs_a_reason_and_acceptance_does_not(proposal, tan_hong, hong_ngu):
    with pytest.raises(ClusterError):
        appraisal_services.item_appraise(
            item=_item(proposal, hong_ngu), appraisal=Appraisal.REJECTED
        )
    appraisal_services.item_appraise(item=_item(proposal, tan_hong), appraisal=Appraisal.ACCEPTED)
    assert _item(proposal, tan_hong).appraisal == Appraisal.ACCEPTED


def test_the_proposal_is_processed_when_every_item_is_appraised(proposal, tan_hong, hong_ngu):
    appraisal_services.item_appraise(item=_item(proposal, tan_hong), appraisal=Appraisal.ACCEPTED)
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED
    appraisal_services.item_appraise(
        item=_item(proposal, hong_ngu), appraisal=Appraisal.REJECTED, reason="Không đủ phiếu"
    )
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PROCESSED


@pytest.mark.parametrize("state", [Proposal.State.DRAFT, Proposal.State.RETURNED])
def test_a_proposal_not_submitted_cannot_be_appraised(term3, tan_hong, state):
    proposal = make_proposal(term3, [(tan_hong, FLAG)], state=state)
    with pytest.raises(ClusterError):
        appraisal_services.item_appraise(
            item=_item(proposal, tan_hong), appraisal=Appraisal.ACCEPTED
        )


def test_an_awarded_item_is_not_appraised_again(processed, province, tan_hong, multiples_2018):
    item = _item(processed, tan_hong)
    make_decision(province, items=[item])
    with pytest.raises(ClusterError):
        appraisal_services.item_appraise(item=item, appraisal=Appraisal.REJECTED, reason="x")


def test_lower_forms_follow_the_levels():
    flag = award_form(FLAG)
    assert [f.code for f in appraisal_services.lower_forms(flag)] == [MERIT, EXCELLENT]
    assert appraisal_services.lower_forms(award_form(EXCELLENT)) == []


# --- Amounts from the dated reference data ------------------------------------------


def test_amount_uses_the_base_salary_and_multiple_on_the_decision_date(
    processed, province, tan_hong, hong_ngu, multiples_2018
):
    decision = make_decision(province, items=[_item(processed, tan_hong)])
    assert (decision.base_salary, decision.multiple) == (Decimal(1_490_000), Decimal("8.0"))
    recipient = decision.recipients.get()
    assert recipient.amount == Decimal(11_920_000)
    assert recipient.year == 2022
    # After the base salary of 1/7/2023, the same form is worth more.
    later = make_decision(
        province,
        number="216/QĐ-UBND",
        date=day("01/08/2023"),
        code=MERIT,
        items=[_item(processed, hong_ngu)],
    )
    assert later.recipients.get().amount == Decimal(3 * 1_800_000)


def test_the_decree_of_1_july_2025_changes_the_multiple(province, tan_hong, hong_ngu):
    # NĐ 98/2023 (test value) until 30/06/2025, then NĐ 152/2025 as seeded.
    add_multiples(datetime.date(2024, 1, 1), {FLAG: "7.0"})
    before = make_decision(province, date=day("30/06/2025"), year=2024, units=[tan_hong])
    after = make_decision(
        province, number="2/QĐ-UBND", date=day("01/07/2025"), year=2024, units=[hong_ngu]
    )
    assert before.recipients.get().amount == Decimal(7 * 2_340_000)
    assert after.recipients.get().amount == Decimal(8 * 2_340_000)


def test_no_multiple_in_force_is_refused_with_the_reason(processed, province, tan_hong):
    # Migration 0004 seeds the multiples from 01/07/2025 only.
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province, items=[_item(processed, tan_hong)])
    assert _codes(refused.value) == ["no_multiple"]
    assert not AwardRecipient.objects.exists()


def test_no_base_salary_in_force_is_refused(province, tan_hong, multiples_2018):
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province, date=day("01/03/2019"), year=2018, units=[tan_hong])
    assert _codes(refused.value) == ["no_base_salary"]


def test_a_later_reference_row_does_not_rewrite_a_saved_decision(
    processed, province, tan_hong, multiples_2018
):
    decision = make_decision(province, items=[_item(processed, tan_hong)])
    BaseSalary.objects.create(valid_from=day("01/01/2023"), amount=9_999_999, legal_basis="x")
    decision.signer_name = "Trần Thị B"
    decision_services.decision_save(
        decision=decision, year=2022, items=[_item(processed, tan_hong)]
    )
    decision.refresh_from_db()
    assert decision.base_salary == Decimal(1_490_000)
    # Changing the date reads the reference data again.
    decision.date = day("16/02/2023")
    decision_services.decision_save(
        decision=decision, year=2022, items=[_item(processed, tan_hong)]
    )
    decision.refresh_from_db()
    assert decision.base_salary == Decimal(9_999_999)
    assert decision.recipients.get().amount == Decimal(8 * 9_999_999)


def test_reference_values_pick_the_latest_row_on_or_before_the_day():
    form = award_form(FLAG)
    CashMultiple.objects.create(award_form=form, valid_from=day("01/01/2018"), multiple=5)
    assert decision_services.reference_values(form, day("30/06/2025")) == (
        Decimal(2_340_000),
        Decimal(5),
    )
    assert decision_services.reference_values(form, day("01/07/2025"))[1] == Decimal(8)


# --- Recipients and citations -------------------------------------------------------


def test_citation_names_the_cluster_and_the_year(processed, province, tan_hong, multiples_2018):
    decision = make_decision(province, items=[_item(processed, tan_hong)])
    citation = decision.recipients.get().citation
    assert "Cụm thi đua số 3" in citation and "2022" in citation


def test_a_reduced_item_is_awarded_at_the_lower_form(
    proposal, province, tan_hong, hong_ngu, multiples_2018
):
    appraisal_services.item_appraise(
        item=_item(proposal, tan_hong),
        appraisal=Appraisal.REDUCED,
        reduced_to=award_form(MERIT),
        reason="Chưa đủ điều kiện Cờ",
    )
    appraisal_services.item_appraise(
        item=_item(proposal, hong_ngu), appraisal=Appraisal.REJECTED, reason="x"
    )
    items = list(decision_services.candidate_items(province, 2022))
    assert [i.unit for i in items] == [tan_hong]
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province, code=FLAG, items=items)
    assert _codes(refused.value) == ["other_form"]
    decision = make_decision(province, code=MERIT, items=items)
    assert decision.recipients.get().amount == Decimal(3 * 1_490_000)
    # Awarded items are no longer candidates.
    assert not decision_services.candidate_items(province, 2022).exists()


def test_items_of_a_proposal_not_processed_are_refused(
    proposal, province, tan_hong, multiples_2018
):
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province, items=[_item(proposal, tan_hong)])
    assert "not_accepted" in _codes(refused.value)


def test_manual_recipients_get_the_year_and_a_plain_citation(province, tan_hong, multiples_2018):
    decision = make_decision(province, units=[tan_hong], year=2021)
    recipient = decision.recipients.get()
    assert (recipient.year, recipient.proposal_item) == (2021, None)
    assert "2021" in recipient.citation


def test_update_replaces_the_recipients(processed, province, tan_hong, hong_ngu, multiples_2018):
    decision = make_decision(province, items=[_item(processed, tan_hong)])
    kept = decision.recipients.get()
    other = make_unit(province, name="Tam Nông")
    decision_services.decision_save(
        decision=decision, year=2022, items=[_item(processed, tan_hong)], units=[other]
    )
    assert decision.recipients.get(unit=tan_hong).pk == kept.pk
    decision_services.decision_save(decision=decision, year=2022, units=[other])
    assert [r.unit for r in decision.recipients.all()] == [other]


# --- Refusals --------------------------------------------------------------------------


def test_a_decision_before_the_proposal_was_submitted_is_refused(
    processed, province, tan_hong, multiples_2018
):
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province, date=day("01/12/2022"), items=[_item(processed, tan_hong)])
    assert _codes(refused.value) == ["before_submission"]


def test_a_district_that_ended_is_refused_after_the_reorganisation_with_its_successor(
    province, multiples_2018
):
    district = make_unit(province, name="Huyện Tân Hồng", valid_to=day("30/06/2025"))
    commune = make_unit(
        province, name="Xã Tân Hồng", kind=Unit.Kind.COMMUNE, valid_from=day("01/07/2025")
    )
    UnitSuccession.objects.create(
        predecessor=district,
        successor=commune,
        kind=UnitSuccession.Kind.SPLIT,
        effective_date=day("01/07/2025"),
        legal_basis="Nghị quyết",
    )
    # 2022 achievements decided in 2023: the district existed then.
    make_decision(province, units=[district], year=2022)
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(
            province, number="9/QĐ-UBND", date=day("05/08/2025"), year=2024, units=[district]
        )
    assert _codes(refused.value) == ["unit_ended"]
    assert "Xã Tân Hồng" in refused.value.problems[0].message
    make_decision(province, number="9/QĐ-UBND", date=day("05/08/2025"), year=2024, units=[commune])


def test_a_unit_that_did_not_exist_yet_is_refused(province, multiples_2018):
    commune = make_unit(province, kind=Unit.Kind.COMMUNE, valid_from=day("01/07/2025"))
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province, units=[commune])
    assert _codes(refused.value) == ["unit_not_yet"]


def test_a_unit_of_another_province_is_refused(province, other_province, multiples_2018):
    foreign = make_unit(other_province)
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province, units=[foreign])
    assert _codes(refused.value) == ["other_province"]


def test_the_same_form_for_the_same_year_is_refused(province, tan_hong, multiples_2018):
    make_decision(province, units=[tan_hong])
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province, number="300/QĐ-UBND", units=[tan_hong])
    assert _codes(refused.value) == ["already_awarded"]
    assert refused.value.problems[0].legal_basis == decision_services.LAW_ART_5
    # Another year is another achievement.
    make_decision(province, number="300/QĐ-UBND", units=[tan_hong], year=2021)


def test_the_flag_and_a_certificate_for_the_same_year_are_refused(
    province, tan_hong, multiples_2018
):
    make_decision(province, units=[tan_hong])
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province, number="301/QĐ-UBND", code=MERIT, units=[tan_hong])
    assert _codes(refused.value) == ["already_awarded"]
    # The Government flag is chosen among the provincial flags: both are allowed.
    make_decision(province, number="302/QĐ-UBND", code=GOVERNMENT_FLAG, units=[tan_hong])


@pytest.mark.parametrize("typed", ["215/QĐ-UBND", " 215/qđ-ubnd ", "215/QĐ-UBND  "])
def test_a_number_taken_in_the_province_is_refused(
    province, tan_hong, hong_ngu, multiples_2018, typed
):
    make_decision(province, units=[tan_hong])
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province, number=typed, code=MERIT, units=[hong_ngu])
    assert _codes(refused.value) == ["number_taken"]


def test_the_same_number_in_another_province_is_fine(province, other_province, multiples_2018):
    make_decision(province, units=[make_unit(province)])
    make_decision(other_province, units=[make_unit(other_province)])


def test_every_problem_is_reported_at_once(processed, province, tan_hong, multiples_2018):
    make_decision(province, units=[make_unit(province)])
    gone = make_unit(province, valid_to=day("31/12/2022"))
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(
            province,
            date=day("01/12/2022"),
            items=[_item(processed, tan_hong)],
            units=[gone, tan_hong],
        )
    # The number is taken, the date is before the submission, Tân Hồng is chosen twice.
    assert set(_codes(refused.value)) == {"number_taken", "before_submission", "duplicate_unit"}


def test_at_least_one_recipient(province, multiples_2018):
    with pytest.raises(decision_services.DecisionError) as refused:
        make_decision(province)
    assert _codes(refused.value) == ["no_recipient"]


def test_signature_lines_follow_the_prefix(province, tan_hong, multiples_2018):
    decision = make_decision(province, units=[tan_hong])
    assert decision_services.signature_lines(decision) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    decision.authority_prefix = ""
    decision.signer_position = "Chủ tịch"
    assert decision_services.signature_lines(decision) == ["CHỦ TỊCH"]


# --- Award history through the reorganisation -----------------------------------------


def test_a_predecessors_award_shows_in_the_successors_history(
    province, tan_hong, multiples_2018, django_assert_num_queries
):
    old_name = tan_hong.name
    make_decision(province, units=[tan_hong])
    services.unit_rename(
        unit=tan_hong,
        new_name="Huyện Tân Hồng (mới)",
        effective_date=day("01/01/2024"),
        legal_basis="x",
    )
    commune = make_unit(province, name="Xã Tân Hồng", kind=Unit.Kind.COMMUNE)
    services.reorganisation_record(
        kind=UnitSuccession.Kind.MERGE,
        predecessors=[tan_hong],
        successors=[commune],
        effective_date=day("01/07/2025"),
        legal_basis="Nghị quyết",
    )
    make_decision(province, number="3/QĐ-UBND", date=day("01/03/2026"), year=2025, units=[commune])
    with django_assert_num_queries(3):
        awards = selectors.unit_awards(commune)
    assert [(a.recipient.year, a.inherited) for a in awards] == [(2025, False), (2022, True)]
    # The predecessor is named as it was on the decision date.
    assert awards[1].received_as == old_name
    assert selectors.unit_awards(tan_hong)[0].recipient.unit == tan_hong
    # The successor's award is not the predecessor's.
    assert len(selectors.unit_awards(tan_hong)) == 1


def test_unit_awards_cost_the_same_with_more_awards(
    province, tan_hong, multiples_2018, django_assert_num_queries
):
    make_decision(province, units=[tan_hong])
    before, _after = selectors.unit_lineage(tan_hong)
    with django_assert_num_queries(2):
        selectors.unit_awards(tan_hong, before)
    for year in (2019, 2020, 2021):
        make_decision(province, number=f"{year}/QĐ-UBND", units=[tan_hong], year=year)
    with django_assert_num_queries(2):
        assert len(selectors.unit_awards(tan_hong, before)) == 4


def test_progress_of_a_province_without_terms_is_empty(other_province):
    from clusters import progress

    assert progress.province_progress(other_province, 2022) == []


def test_cluster_years_of_other_provinces_do_not_leak(province, other_province, multiples_2018):
    cluster = make_cluster(other_province)
    unit = make_unit(other_province)
    make_cluster_year(cluster, 2022, members=[unit])
    make_decision(other_province, units=[unit])
    assert not decision_services.candidate_items(province, 2022).exists()


# --- Demo --------------------------------------------------------------------------


def test_demo_does_nothing_without_the_proposal(province):
    from clusters import demo_decisions

    demo_decisions.load()
    assert not AwardRecipient.objects.exists()
    assert CashMultiple.objects.filter(legal_basis=demo_decisions.ILLUSTRATIVE_BASIS).count() == 4


def test_demo_appraises_the_proposal_and_records_two_decisions_once(
    proposal, province, tan_hong, hong_ngu
):
    from clusters import demo_decisions

    demo_decisions.load()
    demo_decisions.load()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PROCESSED
    recipients = AwardRecipient.objects.select_related("decision__award_form").order_by(
        "decision__number"
    )
    assert [
        (r.decision.number, r.unit, r.decision.award_form.code, r.amount) for r in recipients
    ] == [
        ("215/QĐ-UBND", tan_hong, FLAG, Decimal(8 * 1_490_000)),
        ("216/QĐ-UBND", hong_ngu, MERIT, Decimal(3 * 1_490_000)),
    ]
    assert recipients[0].decision.date == day("20/02/2023")
