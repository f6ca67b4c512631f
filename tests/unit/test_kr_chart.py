"""The KR chart as SVG: one point per check-in, the target line, a marker per retarget."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from web.chart_scale import nice_ticks, padded
from web.charts import ChartData, CheckInPoint, Retarget, render_chart

SVG = "{http://www.w3.org/2000/svg}"
START = datetime(2026, 10, 1, tzinfo=UTC)


def week(n: int) -> datetime:
    return START + timedelta(days=7 * n)


def lead_time(points: int = 5, retargets: tuple[Retarget, ...] = ()) -> ChartData:
    return ChartData(title="Keep delivery <around> 20 days", kind="threshold", target=20,
                     points=[CheckInPoint(week(i), 24 - i, 0.5 + i / 20, "bob")
                             for i in range(points)],
                     retargets=retargets, unit="days", direction="below", begins=START,
                     ends=datetime(2026, 12, 31, tzinfo=UTC))


def parsed(chart: ChartData) -> ET.Element:
    return ET.fromstring(render_chart(chart, "kr-1"))


def with_class(svg: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in svg.iter() if element.get("class") == name]


def test_draws_one_point_per_check_in():
    svg = parsed(lead_time(points=7))
    assert len(with_class(svg, "check-in")) == 7
    assert svg.get("data-check-ins") == "7"
    assert [c.get("data-value") for c in with_class(svg, "check-in")] == [
        "24", "23", "22", "21", "20", "19", "18"]


def test_points_move_right_with_time_and_up_with_value():
    xs = [float(c.get("cx", "")) for c in with_class(parsed(lead_time()), "check-in")]
    ys = [float(c.get("cy", "")) for c in with_class(parsed(lead_time()), "check-in")]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert ys == sorted(ys), "falling values are drawn lower each week (SVG y runs down)"


def test_marks_each_approved_retarget_and_steps_the_target_line_there():
    retarget = Retarget(week(3), before=20, after=18, decided_by="dana", reason="harder")
    svg = parsed(lead_time(retargets=(retarget,)))
    markers = with_class(svg, "retarget")
    assert len(markers) == 1 and svg.get("data-retargets") == "1"
    assert (markers[0].get("data-before"), markers[0].get("data-after")) == ("20", "18")
    title = markers[0].find(f"{SVG}title")
    assert title is not None and "20 \u2192 18 days" in (title.text or "")
    assert "dana" in (title.text or "")
    line = with_class(svg, "target-line")[0]
    assert line.get("data-target") == "18"
    assert " V" in (line.get("d") or ""), "the line drops at the retarget"


def test_no_retarget_means_a_flat_target_line_and_no_marker():
    svg = parsed(lead_time())
    assert with_class(svg, "retarget") == []
    assert " V" not in (with_class(svg, "target-line")[0].get("d") or "")


def test_says_in_words_what_it_shows_and_escapes_titles():
    text = render_chart(lead_time(retargets=(Retarget(week(3), 20, 18),)), "kr-1")
    svg = ET.fromstring(text)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "kr-1-title kr-1-desc"
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "5 check-ins" in desc.text and "retargeted from 20 to 18" in desc.text
    assert "<around>" not in text and "&lt;around&gt;" in text


def test_confidence_is_drawn_for_the_check_ins_that_gave_one():
    chart = lead_time(points=3)
    unsure = ChartData(**{**chart.__dict__, "points": [*chart.points,
                                                       CheckInPoint(week(4), 19)]})
    line = with_class(parsed(unsure), "confidence-line")[0]
    assert len((line.get("points") or "").split()) == 3


def test_a_milestone_plots_done_and_not_done():
    chart = ChartData(title="Ship onboarding", kind="milestone", target=None,
                      points=[CheckInPoint(week(0), 0, 0.4), CheckInPoint(week(2), 1, 1.0)])
    svg = parsed(chart)
    first, second = (float(c.get("cy", "")) for c in with_class(svg, "check-in"))
    assert second < first
    assert "done" in "".join(svg.itertext())


def test_a_chart_without_check_ins_says_so():
    svg = parsed(lead_time(points=0))
    assert with_class(svg, "check-in") == [] and "No check-ins yet" in "".join(svg.itertext())


def test_a_thousand_check_ins_still_make_well_formed_svg():
    assert len(with_class(parsed(lead_time(points=1000)), "check-in")) == 1000


def test_axis_ticks_are_round_numbers_inside_the_padded_range():
    lo, hi = padded([18.0, 24.0])
    ticks = nice_ticks(lo, hi)
    assert ticks == [18.0, 20.0, 22.0, 24.0]
    assert padded([5.0, 5.0]) == (4.0, 6.0)
