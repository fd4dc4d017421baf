"""The report's charts: every label whole however long, the value beside each bar inside the
picture, and a rating shown before and after, not only as its change. Frozen inputs."""

from __future__ import annotations

from xml.etree import ElementTree  # noqa: S405 - parses SVG this test just made

from cop.evaluation.charts import WIDTH, bar_chart_svg, wrapped

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Learning themes of the visit › Mainstreaming participatory budgeting across departments"


def chart(bars, series=("Hours",)) -> ElementTree.Element:
    return ElementTree.fromstring(  # noqa: S314
        bar_chart_svg("c", "Hours by category", bars, list(series), lambda value: f"{value:,.2f}")
    )


def test_a_long_label_is_wrapped_whole_never_cut() -> None:
    root = chart([(LONG, (12.5,)), ("Travel", (3.0,))])

    [long_label, short_label] = root.findall(f"{SVG}text[@class='bar-chart__label']")
    lines = [span.text for span in long_label.findall(f"{SVG}tspan")]
    assert len(lines) > 1 and " ".join(lines) == LONG
    assert [span.text for span in short_label.findall(f"{SVG}tspan")] == ["Travel"]
    assert "…" not in ElementTree.tostring(root, encoding="unicode")


def test_the_largest_figure_has_room_beside_its_bar() -> None:
    root = chart([("Venue", (123456.78,)), ("Travel", (3.0,))])

    values = root.findall(f"{SVG}text[@class='bar-chart__value']")
    # A 10-character figure at 13px is about 75px wide: it must end inside the picture.
    assert all(float(value.get("x")) + 8 * len(value.text) <= WIDTH for value in values)


def test_ratings_before_and_after_are_two_bars_per_theme_with_a_legend() -> None:
    root = chart([("Mainstreaming", (2.0, 4.0)), ("Staffing", (3.0, 3.5))], ("Before", "After"))

    bars = root.findall(f"{SVG}rect[@class='bar-chart__series']")
    assert len(bars) == 4
    legend = [t.text for t in root.findall(f"{SVG}text") if t.get("y") == "15"]
    assert legend == ["Before", "After"]
    assert bars[0].get("fill") != bars[1].get("fill")  # before and after told apart
    assert float(bars[1].get("width")) == 2 * float(bars[0].get("width"))  # 4 is twice 2


def test_words_longer_than_a_line_are_broken_not_lost() -> None:
    word = "Gemeinschaftsverpflegungseinrichtungen-und-Partizipationshaushalte"
    assert "".join(wrapped(word)) == word
