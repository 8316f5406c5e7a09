"""The agreed-score grid: provincial staff type scores as in a spreadsheet and they are saved.

Relies on load_demo giving Cụm thi đua số 3 a covenant for 2023 whose sheet starts with
criterion 1.1 (maximum 60), and an annual period in the scoring state (the 2022 cycle is
complete and locked in the demo).
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

CLUSTER = "Cụm thi đua số 3"
UNIT = "Huyện Tân Hồng"


def _period_pk(demo_db) -> int:
    [(pk,)] = demo_db(
        "SELECT p.id FROM clusters_period p"
        " JOIN clusters_clusteryear y ON y.id = p.cluster_year_id"
        " JOIN clusters_cluster c ON c.id = y.cluster_id"
        " WHERE c.name = ? AND y.year = 2023 AND p.kind = 'annual'",
        CLUSTER,
    )
    return pk


def _number(text: str) -> Decimal:
    """A number as the Vietnamese page shows it: "45,50" (no thousands separator)."""
    return Decimal(text.strip().replace(",", ".") or "0")


def _shown(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def test_staff_type_an_agreed_score_that_is_saved_and_totalled(page, login, demo_db):
    period = _period_pk(demo_db)
    login("canbo")
    page.goto(f"/periods/{period}/agreed/")

    cell = page.get_by_label(f"{UNIT} – 1.1", exact=True)
    unit = cell.get_attribute("data-unit")
    criterion = cell.get_attribute("data-criterion")
    base = page.locator(f'[data-total-unit="{unit}"][data-total="base"]')
    original = cell.input_value()
    expected = _number(base.inner_text()) - _number(original) + Decimal("45.5")

    cell.click()
    page.keyboard.type("45,5")
    page.keyboard.press("Tab")

    expect(cell).to_have_attribute("data-state", "saved")
    expect(page.locator(f"#m{unit}-{criterion}")).not_to_be_empty()
    expect(base).to_have_text(_shown(expected))
    # Tab moved along the member's row.
    assert page.evaluate("document.activeElement.dataset.unit") == unit
    assert page.evaluate("document.activeElement.dataset.criterion") != criterion

    page.reload()
    expect(cell).to_have_value("45,5")
    expect(base).to_have_text(_shown(expected))

    # Above the maximum: refused at once, the typed text kept, nothing sent.
    cell.click()
    page.keyboard.type("999")
    page.keyboard.press("Tab")
    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(cell).to_have_value("999")
    message = page.locator(f"#m{unit}-{criterion}")
    expect(message).to_contain_text("60")
    expect(message).to_have_attribute("aria-live", "polite")

    page.reload()
    expect(cell).to_have_value("45,5")

    # Put the demo's value back for the tests that read its ranking.
    cell.fill(original)
    cell.press("Tab")
    expect(cell).to_have_attribute("data-state", "saved")


def _active(page) -> list[str]:
    return page.evaluate(
        "[document.activeElement.dataset.unit, document.activeElement.dataset.criterion]"
    )


def test_enter_and_arrows_move_between_cells(page, login, demo_db):
    period = _period_pk(demo_db)
    login("canbo")
    page.goto(f"/periods/{period}/agreed/")

    first = page.locator("#agreed-grid input.grid-input").first
    first.click()
    start = _active(page)
    page.keyboard.press("Enter")
    below = _active(page)
    assert below[1] == start[1] and below[0] != start[0]
    page.keyboard.press("Shift+Enter")
    assert _active(page) == start
    page.keyboard.press("ArrowDown")
    assert _active(page) == below
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowRight")
    right = _active(page)
    assert right[0] == start[0] and right[1] != start[1]
    page.keyboard.press("Shift+Tab")
    assert _active(page) == start
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowLeft")
    assert _active(page) == start
