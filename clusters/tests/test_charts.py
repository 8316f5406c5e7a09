"""The SVG charts as pure functions: valid, accessible, escaped, grey, inside their box."""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters import charts
from clusters.charts import HistoryPoint

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<img src=x onerror=alert(1)>"
finite = st.floats(allow_nan=False, allow_infinity=False)


def _parse(chart: str) -> ET.Element:
    root = ET.fromstring(chart)
    assert root.tag == f"{SVG}svg"
    return root


def _accessible(chart: charts.Chart, title: str) -> ET.Element:
    """The chart is an image labelled by its own <title> and <desc>, both filled in."""
    root = _parse(chart)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    found = {element.get("id"): element for element in root}
    assert found[title_id].tag == f"{SVG}title" and found[title_id].text == title
    assert found[desc_id].tag == f"{SVG}desc" and found[desc_id].text.strip()
    assert chart.text == f"{title}. {found[desc_id].text}"
    return root


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)]


def _getter(element: ET.Element):
    return lambda name: float(element.get(name)) if element.get(name) else None


def _points_inside(root: ET.Element) -> None:
    """Every coordinate of every mark is finite and inside the viewBox."""
    _x0, _y0, width, height = _numbers(root.get("viewBox"))
    # Only the width: the height follows the viewBox (see the module's docstring).
    assert float(root.get("width")) == width and root.get("height") is None

    def inside(x=None, y=None):
        if x is not None:
            assert 0 <= x <= width, (x, width)
        if y is not None:
            assert 0 <= y <= height, (y, height)

    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        if tag in ("svg", "pattern"):
            continue
        get = _getter(element)
        if tag == "rect":
            x, y, w, h = get("x") or 0, get("y") or 0, get("width"), get("height")
            assert w >= 0 and h >= 0
            inside(x, y)
            inside(x + w, y + h)
        elif tag == "circle":
            cx, cy, r = get("cx"), get("cy"), get("r")
            assert r > 0
            inside(cx - r, cy - r)
            inside(cx + r, cy + r)
        elif tag in ("line",):
            inside(get("x1"), get("y1"))
            inside(get("x2"), get("y2"))
        elif tag == "text":
            inside(get("x"), get("y"))
        elif tag == "polyline":
            values = _numbers(element.get("points"))
            for x, y in zip(values[::2], values[1::2], strict=True):
                inside(x, y)
        elif tag == "path":
            command = ""
            tokens = re.findall(r"[MLHVZ]|-?\d+(?:\.\d+)?", element.get("d"))
            position = 0
            while position < len(tokens):
                if tokens[position] in "MLHVZ":
                    command = tokens[position]
                    position += 1
                    continue
                if command in "ML":
                    inside(float(tokens[position]), float(tokens[position + 1]))
                    position += 2
                elif command == "H":
                    inside(x=float(tokens[position]))
                    position += 1
                else:
                    inside(y=float(tokens[position]))
                    position += 1


def _greys_only(root: ET.Element) -> None:
    """Print-safe: every paint is black, white, a grey or the hatch pattern."""
    for element in root.iter():
        for name in ("fill", "stroke"):
            paint = element.get(name)
            if paint is None or paint in ("none", "#fff") or paint.startswith("url(#"):
                continue
            digits = paint.removeprefix("#")
            if len(digits) == 3:
                assert digits[0] == digits[1] == digits[2], paint
            else:
                assert digits[0:2] == digits[2:4] == digits[4:6], paint


GEOMETRY = ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height")


def _plain_numbers(root: ET.Element) -> None:
    """No NaN, infinity or exponent in any coordinate: plain decimals only."""
    for element in root.iter():
        for name in GEOMETRY:
            if element.get(name) is not None:
                assert re.fullmatch(r"-?\d+(\.\d+)?", element.get(name)), element.get(name)
        for name in ("points", "d", "viewBox"):
            if element.get(name) is not None:
                assert re.fullmatch(r"[MLHVZ\d., -]*", element.get(name)), element.get(name)


def _valid(chart: charts.Chart) -> ET.Element:
    root = _parse(chart)
    _plain_numbers(root)
    _points_inside(root)
    _greys_only(root)
    return root


# --- Each chart --------------------------------------------------------------------


def test_score_distribution_draws_a_dot_per_value_and_the_mean():
    chart = charts.score_distribution(
        [1010, 985, 985, 843.5], title="Cụm thi đua số 3", max_score=1000
    )
    root = _accessible(chart, "Cụm thi đua số 3")
    _valid(chart)
    assert len(root.findall(f".//{SVG}circle")) == 4
    assert "Trung bình 955,88" in chart
    assert "Điểm tối đa 1000" in chart
    assert "4 kết quả; thấp nhất 843,5, cao nhất 1010, trung bình 955,88." in chart.text


def test_group_comparison_shows_each_group_with_unit_average_and_maximum():
    chart = charts.group_comparison(
        [("I. Kinh tế - xã hội", 480, 465.25, 500), ("II. Chính quyền", 190, None, 200)],
        title="Nhóm tiêu chí",
        unit_label="Xã Tân Hồng",
    )
    root = _accessible(chart, "Nhóm tiêu chí")
    _valid(chart)
    assert "I. Kinh tế - xã hội: Xã Tân Hồng 480, Trung bình của cụm 465,25, tối đa 500" in (
        chart.text
    )
    # The average is hatched, not coloured: its bars use the chart's own pattern.
    pattern = root.find(f".//{SVG}pattern").get("id")
    assert f"url(#{pattern})" in chart


def test_rank_history_draws_a_line_per_unit_named_in_the_legend():
    points = [
        HistoryPoint("2022", "Huyện Tân Hồng", 92.45, 1, 4, "district"),
        HistoryPoint("2023", "Huyện Tân Hồng", 89.2, 3, 4, "district"),
        HistoryPoint("2025", "Huyện Tân Hồng", 92.35, 1, 4, "district"),
        HistoryPoint("2025", "Xã Tân Hồng", 94.8, 1, 7, "commune"),
        HistoryPoint("2026", "Xã Tân Hồng", 89.7, 3, 7, "commune"),
    ]
    chart = charts.rank_history(points, title="Thứ hạng")
    root = _accessible(chart, "Thứ hạng")
    _valid(chart)
    assert "Huyện Tân Hồng (2022–2025)" in chart and "Xã Tân Hồng (2025–2026)" in chart
    # Score and rank panels: two lines for the district, two for the commune.
    assert len(root.findall(f".//{SVG}polyline")) == 4
    # A year with one point is labelled; 2025 has two, so its ranks are in tooltips only.
    assert ">3/7<" in chart and ">1/4<" in chart and "2025, Xã Tân Hồng: 1/7" in chart
    assert "2026, Xã Tân Hồng: đạt 89,7 phần trăm điểm tối đa, hạng 3/7" in chart.text


def test_rank_history_joins_the_names_of_a_renamed_unit():
    points = [
        HistoryPoint(str(year), "Xã An" if year < 2025 else "Phường An", 90, 2, 5, "one")
        for year in range(2022, 2027)
    ]
    chart = charts.rank_history(points, title="Đổi tên")
    assert "Xã An (2022–2024) → Phường An (2025–2026)" in chart


def test_cluster_comparison_draws_range_and_mean_per_cluster():
    chart = charts.cluster_comparison(
        [("Cụm thi đua số 1", 84.3, 90.1, 101), ("Khối doanh nghiệp", None, None, None)],
        title="Các cụm",
        max_score=100,
    )
    _accessible(chart, "Các cụm")
    _valid(chart)
    assert "Cụm thi đua số 1: trung bình 90,1, từ 84,3 đến 101" in chart.text
    assert "Khối doanh nghiệp: chưa có xếp hạng" in chart.text


@pytest.mark.parametrize(
    "chart",
    [
        lambda: charts.score_distribution([], title="t"),
        lambda: charts.group_comparison([], title="t", unit_label="u"),
        lambda: charts.rank_history([], title="t"),
        lambda: charts.cluster_comparison([], title="t"),
    ],
)
def test_an_empty_chart_is_valid_and_says_so(chart):
    chart = chart()
    _accessible(chart, "t")
    _valid(chart)
    assert "để hiển thị" in chart.text


def test_labels_and_titles_are_escaped_everywhere():
    made = [
        charts.score_distribution([1, 2], title=HOSTILE, labels=[HOSTILE, "B & C"]),
        charts.group_comparison([(HOSTILE, 1, 2, 3)], title=HOSTILE, unit_label=HOSTILE),
        charts.rank_history([HistoryPoint(HOSTILE, HOSTILE, 90, 1, 2)], title=HOSTILE),
        charts.cluster_comparison([(HOSTILE, 1, 2, 3)], title=HOSTILE),
    ]
    for chart in made:
        assert "<img" not in chart
        assert "&lt;img src=x onerror=alert(1)&gt;" in chart
        root = _accessible(chart, HOSTILE)
        assert not root.findall(f".//{SVG}img") and not root.findall(".//img")
    assert "B &amp; C: 2" in made[0]


def test_long_labels_are_cut_in_the_middle_and_kept_whole_in_a_tooltip():
    names = [f"Khối thi đua các trường trung học phổ thông và giáo dục số {n}" for n in (1, 2)]
    chart = charts.cluster_comparison([(name, 1, 2, 3) for name in names], title="t", width=400)
    root = _parse(chart)
    texts = [t for t in root.iter(f"{SVG}text") if t.find(f"{SVG}title") is not None]
    assert [t.find(f"{SVG}title").text for t in texts] == names
    # Cut, but still told apart by their ends.
    assert all("…" in t.text and len(t.text) < len(names[0]) for t in texts)
    assert texts[0].text.endswith("số 1") and texts[1].text.endswith("số 2")


def test_charts_scale_print_and_fall_back_to_a_serif_font():
    chart = charts.score_distribution([1, 2, 3], title="t", width=500, height=180)
    root = _parse(chart)
    assert root.get("viewBox") == "0 0 500 180"
    assert root.get("style") == "max-width: 100%"
    assert root.get("font-family").startswith("DocSerif, 'Liberation Serif'")
    assert root.get("font-family").endswith("serif")


def test_the_same_data_gives_the_same_svg_and_other_data_other_ids():
    first = charts.score_distribution([1, 2], title="t")
    assert first == charts.score_distribution([1, 2], title="t")
    other = charts.score_distribution([1, 3], title="t")
    assert _parse(first).get("aria-labelledby") != _parse(other).get("aria-labelledby")


def test_the_chart_prints_unescaped_in_a_template():
    from django.template import Context, Template

    chart = charts.score_distribution([1, 2], title="t")
    assert Template("{{ chart }}").render(Context({"chart": chart})) == str(chart)


@pytest.mark.parametrize(
    ("value", "text"),
    [(955.75, "955,75"), (1010.0, "1010"), (0.1 + 0.2, "0,3"), (-0.0, "0"), (2.5e12, "2,5e+12")],
)
def test_numbers_are_printed_with_a_decimal_comma(value, text):
    assert charts.number(value) == text


# --- Invariants --------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.lists(finite, max_size=40),
        st.builds(lambda v, n: [v] * n, finite, st.integers(1, 60)),
    ),
    st.none() | finite,
)
def test_any_finite_scores_give_a_valid_distribution_inside_its_box(values, max_score):
    chart = charts.score_distribution(values, title="t", max_score=max_score)
    _accessible(chart, "t")
    _valid(chart)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=30), st.none() | finite, st.none() | finite, st.none() | finite),
        max_size=12,
    ),
    st.none() | finite,
)
def test_any_cluster_rows_give_a_valid_comparison(rows, max_score):
    _valid(charts.cluster_comparison(rows, title="t", max_score=max_score))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=80),
            st.none() | st.floats(0, 1e6),
            st.none() | st.floats(0, 1e6),
            st.none() | st.floats(0, 1e6),
        ),
        max_size=8,
    )
)
def test_any_group_rows_give_a_valid_comparison(rows):
    _valid(charts.group_comparison(rows, title="t", unit_label="u"))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.builds(
            HistoryPoint,
            label=st.sampled_from([str(y) for y in range(2015, 2027)]),
            name=st.text(max_size=40),
            percent=st.none() | finite,
            rank=st.none() | st.integers(1, 60),
            count=st.none() | st.integers(1, 60),
            series=st.sampled_from(["a", "b", "c", "d", "e"]),
        ),
        max_size=30,
    )
)
def test_any_history_gives_a_valid_chart(points):
    _valid(charts.rank_history(points, title="t"))
