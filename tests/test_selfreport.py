"""Self-report files: instruments, scoring, missing items, bad rows."""

from __future__ import annotations

import math

import pytest

from transcript_alliance.comparison.selfreport import load_instrument, read_self_reports
from transcript_alliance.errors import InputError

from .conftest import SAMPLES


def write(path, text):
    path.write_text(text)
    return path


def test_wai_sr_items_score_into_subscale_means():
    reports = read_self_reports(SAMPLES / "selfreports.csv")
    assert reports.instrument.name == "wai-sr" and reports.level == "items"
    row = reports.frame.set_index("session_id").loc["jordan_02"]
    # jordan_02: task = items 1, 2, 10, 12; goal = 4, 6, 8, 11; bond = 3, 5, 7, 9
    assert (row["task"], row["goal"], row["bond"]) == (1.5, 1.75, 2.25)
    assert row["total"] == pytest.approx((1.5 + 1.75 + 2.25) / 3)


def test_one_missing_item_is_prorated_two_are_not(tmp_path):
    items = ",".join(f"wai{i}" for i in range(1, 13))
    one = "4,4,4,,4,4,4,4,4,4,4,4"  # item 4 (goal) missing
    two = "4,4,4,,4,,4,4,4,4,4,4"  # items 4 and 6 (goal) missing
    path = write(tmp_path / "r.csv", f"session_id,{items}\na,{one}\nb,{two}\n")
    frame = read_self_reports(path).frame.set_index("session_id")
    assert frame.loc["a", "goal"] == 4.0
    assert math.isnan(frame.loc["b", "goal"])
    assert math.isnan(frame.loc["b", "total"])  # two of 12 missing: more than one in ten


def test_reverse_keyed_items_are_turned_round(tmp_path):
    items = ",".join(f"wai{i}" for i in range(1, 13))
    values = ",".join("1" if i in (4, 10) else "7" for i in range(1, 13))
    path = write(tmp_path / "r.csv", f"session_id,{items}\na,{values}\n")
    frame = read_self_reports(path, "wai-s").frame
    assert frame.loc[0, "goal"] == 7.0 and frame.loc[0, "task"] == 7.0


def test_srs_total_is_a_sum_and_maps_to_the_metric(tmp_path):
    path = write(tmp_path / "s.csv", "session_id,srs1,srs2,srs3,srs4\na,9,8,7,10\n")
    reports = read_self_reports(path)
    assert reports.instrument.name == "srs"
    assert reports.frame.loc[0, "total"] == 34
    assert reports.instrument.to_wai_sr_metric(40.0, "total") == 5.0
    assert reports.instrument.to_wai_sr_metric(0.0, "bond") == 1.0


def test_haq_ii_has_a_total_only():
    ins = load_instrument("haq-ii")
    assert ins.items == 19 and len(ins.reverse) == 9 and not ins.subscales


def test_a_user_instrument_from_yaml(tmp_path):
    spec = "name: mine\nprefix: q\nitems: 3\nmin: 0\nmax: 4\nreverse: [2]\n"
    yaml_path = write(tmp_path / "mine.yaml", spec + "subscales:\n  bond: [1, 2]\n  task: [3]\n")
    path = write(tmp_path / "r.csv", "client_id,session_number,q1,q2,q3\nC1,1,4,0,2\n")
    frame = read_self_reports(path, yaml_path).frame
    assert frame.loc[0, "bond"] == 4.0 and frame.loc[0, "task"] == 2.0
    assert frame.loc[0, "session_number"] == 1


def test_subscale_level_files(tmp_path):
    path = write(tmp_path / "r.csv", "session_id,goal,task,bond,total\na,4,3.5,5,4.2\n")
    reports = read_self_reports(path)
    assert reports.level == "subscales" and reports.frame.loc[0, "bond"] == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("session_id,wai1\na,6\n", "row 2: wai1 = 6: expected 1-5"),
        ("session_id,wai1\na,high\n", "row 2: wai1 = 'high': expected a number"),
        ("session_id,wai1\na,4\na,3\n", "row 3: session a rated twice"),
        ("session_id,goal\na,9\n", "row 2: goal = 9: expected 1-5"),
        ("who,wai1\na,4\n", "missing column(s): session_id"),
        ("session_id,rater,wai1\na,mother,4\n", "row 2: rater 'mother'"),
    ],
)
def test_bad_rows_name_file_row_and_expectation(text, message, tmp_path):
    path = write(tmp_path / "bad.csv", text)
    with pytest.raises(InputError) as err:
        read_self_reports(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_a_broken_instrument_file_is_named(tmp_path):
    path = write(
        tmp_path / "bad.yaml",
        "name: x\nprefix: q\nitems: 2\nmin: 1\nmax: 5\nsubscales:\n  bond: [3]\n",
    )
    with pytest.raises(InputError, match=r"bad\.yaml.*outside 1-2"):
        load_instrument(path)
