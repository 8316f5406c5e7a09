"""The unit registry: accent-free search, and a form that keeps what was typed."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_search_without_accents_finds_the_unit(page, login):
    login("canbo")
    page.locator("#nav").get_by_role("link", name="Đơn vị", exact=True).click()

    page.fill("#q", "tan hong")
    page.press("#q", "Enter")

    expect(page).to_have_url(re.compile(r"[?&]q=tan\+hong"))
    expect(page.get_by_role("link", name="Huyện Tân Hồng", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Huyện Tam Nông", exact=True)).to_have_count(0)


def test_unit_form_error_keeps_the_typed_name(page, login):
    login("canbo")
    page.locator("#nav").get_by_role("link", name="Đơn vị", exact=True).click()
    page.get_by_role("link", name="Thêm đơn vị").click()
    expect(page).to_have_url(re.compile(r"/units/new/$"))

    page.select_option("#id_kind", value="commune")
    page.fill("#id_name", "Xã Thử Nghiệm")
    page.fill("#id_valid_from", "01/07/2025")
    page.fill("#id_valid_to", "30/06/2025")
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page).to_have_url(re.compile(r"/units/new/$"))
    expect(page.locator("#id_valid_to")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("main form")).to_contain_text(
        "Ngày kết thúc không được trước ngày bắt đầu."
    )
    expect(page.locator("#id_name")).to_have_value("Xã Thử Nghiệm")
    expect(page.locator("#id_valid_from")).to_have_value("01/07/2025")
