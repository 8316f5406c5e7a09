"""Documents: the cluster head opens the minutes of the six-month review, issues a
corrected version, downloads it, and anyone checks the printed code."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_head_issues_a_corrected_version_and_a_reader_verifies_the_old_one(
    page, login, demo_db, base_url, browser
):
    [(meeting,)] = demo_db(
        "SELECT m.id FROM clusters_meeting m WHERE m.kind = 'six_month_review'"
        " AND m.date = '2022-07-26'"
    )
    login("cumtruong")
    page.goto(f"/meetings/{meeting}/")
    page.locator("#minutes-link").click()
    expect(page).to_have_url(re.compile(rf"/documents/review_minutes/{meeting}/$"))
    sheet = page.locator(".sheet")
    expect(sheet).to_contain_text("BIÊN BẢN")
    expect(sheet).to_contain_text("Hội nghị sơ kết 6 tháng đầu năm 2022")
    expect(sheet).to_contain_text("DỰ THẢO")
    # The demo issued version 1; a correction needs a reason.
    first_link = page.locator(".toolbar a", has_text="(v1)")
    first_url = first_link.get_attribute("href")
    page.fill("#reason", "Bổ sung danh sách đại biểu")
    page.get_by_role("button", name="Ban hành bản đính chính").click()
    expect(page).to_have_url(re.compile(r"/issued/\d+/$"))
    expect(page.locator(".toolbar")).to_contain_text("phiên bản 2")
    expect(page.locator(".sheet")).not_to_contain_text("DỰ THẢO")
    code = page.locator(".verification strong").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    content = open(download.value.path(), "rb").read()
    assert content.startswith(b"%PDF-")
    digest = hashlib.sha256(content).hexdigest()

    # A reader without an account checks the printed code of the new and the old copy.
    reader = browser.new_page(base_url=base_url)
    reader.goto("/verify/")
    reader.fill("#code", code.lower().replace("-", ""))
    reader.get_by_role("button", name="Xác thực").click()
    expect(reader.locator("main")).to_contain_text(digest)
    expect(reader.get_by_role("status")).to_contain_text("chưa bị thay thế")

    page.goto(first_url)
    old_code = page.locator(".verification strong").inner_text()
    reader.goto(f"/verify/{old_code}/")
    expect(reader.get_by_role("status")).to_contain_text("thay thế")
    reader.close()
