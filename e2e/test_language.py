"""The navbar's language switch: Vietnamese by default, English on request, and back."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_language_switch_changes_the_page_language(page, login):
    login("lanhdao")
    page.locator("#nav").get_by_role("link", name="Cụm, khối thi đua", exact=True).click()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "vi")
    list_url = page.url

    page.locator("#language-switch").get_by_role("button", name="EN").click()

    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(list_url)
    expect(page.locator("h1")).to_have_text("Clusters and blocs")

    page.locator("#language-switch").get_by_role("button", name="VI").click()

    expect(html).to_have_attribute("lang", "vi")
    expect(page).to_have_url(list_url)
    expect(page.locator("h1")).to_have_text("Cụm, khối thi đua")
