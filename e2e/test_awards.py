"""The end of the cycle: staff find the award decision and see it on the successor's page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_staff_follow_the_award_from_decision_to_the_successor_unit(page, login):
    login("canbo")
    nav = page.locator("#nav")
    nav.get_by_role("button", name="Khen thưởng").or_(
        nav.get_by_role("link", name="Khen thưởng", exact=True)
    ).click()
    nav.get_by_role("link", name="Kết quả khen thưởng").click()
    expect(page.locator("h1")).to_contain_text("2022")

    page.get_by_role("link", name="215/QĐ-UBND").click()
    expect(page).to_have_url(re.compile(r"/decisions/decision/\d+/$"))
    expect(page.locator("main")).to_contain_text("Huyện Tân Hồng")
    expect(page.locator("main")).to_contain_text("11.920.000")

    nav.get_by_role("link", name="Đơn vị", exact=True).click()
    page.fill("#q", "xa tan hong")
    page.press("#q", "Enter")
    page.get_by_role("link", name="Xã Tân Hồng", exact=True).click()
    awards = page.locator("#awards")
    expect(awards).to_contain_text("Cờ thi đua của Ủy ban nhân dân tỉnh")
    expect(awards).to_contain_text("215/QĐ-UBND")
    expect(awards).to_contain_text("Huyện Tân Hồng")


def test_secretary_cannot_change_a_ballot_after_the_proposal_was_submitted(page, login, demo_db):
    [(ballot,)] = demo_db(
        "SELECT b.id FROM clusters_ballot b JOIN clusters_awardform f ON f.id = b.award_form_id"
        " WHERE f.code = 'co-thi-dua-tinh'"
    )
    login("thuky")
    page.goto(f"/ballots/{ballot}/")
    expect(page.locator("main")).to_contain_text("Huyện Tân Hồng")
    expect(page.locator("main")).to_contain_text("100,00")
    page.goto(f"/ballots/{ballot}/tally/")
    expect(page).to_have_url(re.compile(rf"/ballots/{ballot}/$"))
    expect(page.get_by_role("alert")).to_contain_text("không thể thay đổi")
