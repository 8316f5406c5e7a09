"""Logging in: a wrong password keeps the user on the form; repeated failures lock it.

Both tests use usernames of their own, so that the lockout never hits the demo accounts.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _submit_login(page, username, password):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(page):
    page.goto("/login/")

    _submit_login(page, "sai-mat-khau", "not-the-password")

    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("form .alert-danger")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu.")
    expect(page.locator("input[name=username]")).to_have_value("sai-mat-khau")
    expect(page.locator("nav .navbar-text")).to_have_count(0)


def test_repeated_failures_show_the_lockout_page(page, login_failure_limit):
    page.goto("/login/")

    for _attempt in range(login_failure_limit - 1):
        _submit_login(page, "bi-khoa", "not-the-password")
        expect(page.locator("form .alert-danger")).to_be_visible()
    _submit_login(page, "bi-khoa", "not-the-password")

    expect(page).to_have_title(re.compile(r"^Quá nhiều lần thử"))
    expect(page.locator("main .alert-danger")).to_contain_text(
        "Đăng nhập sai quá nhiều lần. Tài khoản bị tạm khóa 15 phút"
    )
    expect(page.locator("input[name=password]")).to_have_count(0)
