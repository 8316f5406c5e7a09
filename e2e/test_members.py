"""Provincial staff add a member to a cluster's term; a secretary only reads theirs."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

CLUSTER = "Cụm thi đua số 3"
NEW_MEMBER = "Thành phố Hồng Ngự"


def test_staff_adds_a_member_and_sees_it_in_the_history(page, login):
    user_name = login("canbo")

    page.locator("#nav").get_by_role("link", name="Cụm, khối thi đua", exact=True).click()
    page.get_by_role("link", name=CLUSTER, exact=True).click()
    expect(page.locator("h1")).to_have_text(CLUSTER)
    page.get_by_role("link", name="2022", exact=True).click()
    expect(page).to_have_url(re.compile(r"/years/\d+/$"))
    term_url = page.url
    expect(page.locator("#members")).not_to_contain_text(NEW_MEMBER)

    page.get_by_role("link", name="Thêm thành viên").click()
    expect(page).to_have_url(re.compile(r"/years/\d+/members/add/$"))
    option = page.locator("#id_unit option", has_text=NEW_MEMBER)
    page.select_option("#id_unit", value=option.get_attribute("value"))
    page.fill("#id_valid_from", "01/03/2022")
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page).to_have_url(term_url)
    expect(page.get_by_role("alert")).to_contain_text(
        f"Đã thêm {NEW_MEMBER} vào danh sách thành viên."
    )
    row = page.locator("#members tbody tr", has_text=NEW_MEMBER)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("01/03/2022")
    history = page.locator("#history")
    expect(history.locator("h2")).to_have_text("Lịch sử thay đổi")
    entry = history.locator("tbody tr", has_text=f"Tạo mới: {NEW_MEMBER}")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(user_name)
    expect(entry).to_contain_text("01/03/2022")


def test_secretary_gets_404_for_another_cluster(page, login, demo_db):
    [(other_pk,)] = demo_db("SELECT id FROM clusters_cluster WHERE name = ?", "Cụm thi đua số 4")
    login("thuky")

    page.locator("#nav").get_by_role("link", name="Cụm, khối thi đua", exact=True).click()
    expect(page.get_by_role("link", name=CLUSTER, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Cụm thi đua số 4")).to_have_count(0)

    response = page.goto(f"/clusters/{other_pk}/")
    assert response.status == 404


def test_secretary_sees_no_add_member_button_on_their_term(page, login):
    login("thuky")

    page.locator("#nav").get_by_role("link", name="Cụm, khối thi đua", exact=True).click()
    page.get_by_role("link", name=CLUSTER, exact=True).click()
    page.get_by_role("link", name="2022", exact=True).click()

    expect(page.locator("#members tbody tr", has_text="Huyện Tân Hồng")).to_have_count(1)
    expect(page.get_by_role("link", name="Sửa thông tin năm")).to_be_visible()
    expect(page.get_by_role("link", name="Thêm thành viên")).to_have_count(0)
    expect(page.locator("a[href$='/members/add/']")).to_have_count(0)
