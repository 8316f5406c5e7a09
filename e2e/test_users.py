"""Provincial staff open an account and give it a role; the new user then sees their cluster."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_staff_create_a_secretary_who_then_sees_only_their_cluster(page, login, browser):
    login("canbo")
    nav = page.locator("#nav")
    nav.get_by_role("button", name="Quản trị").or_(nav.get_by_role("link", name="Quản trị")).click()
    nav.get_by_role("link", name="Người dùng", exact=True).click()
    page.get_by_role("link", name="Thêm tài khoản").click()
    page.fill("#id_username", "thuky4")
    page.fill("#id_full_name", "Thư ký Cụm thi đua số 4")
    page.fill("#id_password1", "Mat-khau-dai-2026")
    page.fill("#id_password2", "Mat-khau-dai-2026")
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page).to_have_url(re.compile(r"/users/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("Đã tạo tài khoản thuky4.")
    page.select_option("#id_role", value="cluster_secretary")
    option = page.locator("#id_cluster_year option", has_text="Cụm thi đua số 4")
    page.select_option("#id_cluster_year", value=option.get_attribute("value"))
    page.get_by_role("button", name="Thêm vai trò", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("Đã thêm vai trò.")
    expect(page.locator("#roles")).to_contain_text("Cụm thi đua số 4 – 2022")
    expect(page.locator("#history tbody tr", has_text="Tạo mới: Thư ký cụm")).to_have_count(1)

    context = browser.new_context(base_url=page.url.split("/users/")[0])
    other = context.new_page()
    other.goto("/login/")
    other.fill("input[name=username]", "thuky4")
    other.fill("input[name=password]", "Mat-khau-dai-2026")
    other.click("main button[type=submit]")
    other.locator("#nav").get_by_role("link", name="Cụm, khối thi đua", exact=True).click()
    expect(other.get_by_role("link", name="Cụm thi đua số 4", exact=True)).to_be_visible()
    expect(other.get_by_role("link", name="Cụm thi đua số 3", exact=True)).to_have_count(0)
    context.close()
