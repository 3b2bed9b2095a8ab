"""Quota arithmetic at every level, through the quota_report command and the selectors."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from people.quota.selectors import quota_rows, quota_tree, villages_below_quota
from people.quota.services import quota_override_set, quota_target_set
from people.roster.services import person_move, person_remove, training_record_create
from tests.people.tree import person, small_tree

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def report(year=2025, unit=None):
    out = io.StringIO()
    args = ["quota_report", "--year", str(year), "--format", "json"]
    if unit:
        args += ["--unit", unit]
    call_command(*args, stdout=out)
    return {row["code"]: row for row in json.loads(out.getvalue())}


def test_empty_tree_has_every_target_unmet():
    small_tree()
    rows = report()
    assert list(rows) == ["D", "T1", "V1", "G1", "G2", "V2", "T2", "V3", "G3"]
    assert rows["V2"] == {
        "code": "V2",
        "name": "二村",
        "kind": "village",
        "parent_code": "T1",
        "trained": 0,
        "backbone": 0,
        "backbone_target": 5,
        "groups_total": 0,
        "groups_covered": 0,
        "shortfall": 5,
        "met": False,
    }
    assert rows["G1"]["backbone_target"] is None and rows["G1"]["shortfall"] == 1
    # V1: 5 backbone missing, 2 groups uncovered -> 5 people; T1 = 5 + 5; district adds V3 (5).
    assert rows["V1"]["shortfall"] == 5 and rows["T1"]["shortfall"] == 10
    assert rows["D"]["shortfall"] == 15 and rows["D"]["groups_total"] == 3
    assert rows["D"]["parent_code"] is None and rows["D"]["backbone_target"] is None


def test_village_with_no_groups_counts_people_attached_to_it():
    t = small_tree()
    for _ in range(5):
        person(t["v2"], level="backbone")
    rows = report()
    assert rows["V2"]["backbone"] == 5 and rows["V2"]["trained"] == 5
    assert rows["V2"]["groups_total"] == 0 and rows["V2"]["met"] is True
    assert rows["V2"]["shortfall"] == 0
    assert rows["T1"]["trained"] == 5 and rows["T1"]["met"] is False


def test_group_with_two_trained_people_is_covered_once():
    t = small_tree()
    person(t["g1"], level="ordinary")
    person(t["g1"], level="backbone")
    rows = report()
    assert rows["G1"]["trained"] == 2 and rows["G1"]["backbone"] == 1 and rows["G1"]["met"]
    assert rows["V1"]["groups_covered"] == 1 and rows["V1"]["groups_total"] == 2
    assert rows["V1"]["trained"] == 2 and rows["V1"]["backbone"] == 1
    # 4 more backbone needed, G2 still uncovered: 4 people (one of them in G2) close both.
    assert rows["V1"]["shortfall"] == 4
    assert rows["D"]["trained"] == 2 and rows["D"]["groups_covered"] == 1


def test_candidates_and_untrained_people_do_not_count():
    t = small_tree()
    person(t["g1"], candidate=True)
    person(t["g1"])
    assert report()["G1"]["trained"] == 0


def test_removed_person_stops_counting_from_the_removal_date():
    t = small_tree()
    p = person(t["g1"], level="backbone", on=date(2024, 5, 1))
    person_remove(person=p, occurred_on=date(2025, 7, 1), reason="外出务工")
    assert report(2024)["G1"]["trained"] == 1
    assert report(2025)["G1"]["trained"] == 0
    assert report(2025)["V1"]["backbone"] == 0


def test_person_moved_to_another_village_counts_there():
    t = small_tree()
    p = person(t["g1"], level="backbone")
    person_move(person=p, unit=t["g3"], occurred_on=date(2025, 8, 1))
    rows = report()
    assert rows["G1"]["trained"] == 0 and rows["V1"]["backbone"] == 0
    assert rows["G3"]["trained"] == 1 and rows["V3"]["backbone"] == 1
    assert rows["T2"]["trained"] == 1 and rows["T1"]["trained"] == 0


def test_target_override_and_year_targets():
    t = small_tree()
    for _ in range(2):
        person(t["g3"], level="backbone")
    quota_override_set(year=2025, unit=t["v3"], target=2, reason="新建社区")
    rows = report()
    assert rows["V3"]["backbone_target"] == 2 and rows["V3"]["met"] is True
    assert rows["V1"]["backbone_target"] == 5
    assert report(2026)["V3"]["backbone_target"] == 5  # overrides are per year
    quota_override_set(year=2025, unit=t["g1"], target=0)
    assert report()["G1"]["met"] is True
    quota_target_set(year=2025, village_backbone=3, group_trained=2)
    rows = report()
    assert rows["V2"]["backbone_target"] == 3
    assert rows["G3"]["met"] is True and rows["G2"]["shortfall"] == 2
    assert report(2026)["V2"]["backbone_target"] == 3  # carried over until changed
    assert report(2024)["V2"]["backbone_target"] == 5  # the plan's default before


def test_year_boundary():
    t = small_tree()
    person(t["g1"], level="ordinary", on=date(2025, 12, 31))
    late = person(t["g2"], level="ordinary", on=date(2026, 1, 1))
    training_record_create(
        person=late, level="backbone", source="decision", occurred_on=date(2026, 1, 1), reason="x"
    )
    assert report(2025)["V1"]["groups_covered"] == 1
    assert report(2025)["V1"]["backbone"] == 0
    assert report(2026)["V1"]["groups_covered"] == 2
    assert report(2026)["V1"]["backbone"] == 1
    assert report(2024)["V1"]["trained"] == 0
    # A year in progress is counted up to today.
    rows = list(quota_rows(year=2026, today=date(2026, 1, 1)))
    assert {r["code"]: r for r in rows}["V1"]["trained"] == 2
    rows = list(quota_rows(year=2025, today=date(2026, 1, 1)))
    assert {r["code"]: r for r in rows}["V1"]["trained"] == 1


def test_report_for_one_unit_and_csv():
    t = small_tree()
    person(t["g1"], level="backbone")
    rows = report(unit="T1")
    assert list(rows) == ["T1", "V1", "G1", "G2", "V2"]
    assert rows["T1"]["parent_code"] == "D"
    out = io.StringIO()
    call_command("quota_report", "--unit", "V1", "--year", "2025", "--format", "csv", stdout=out)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["code"] for r in parsed] == ["V1", "G1", "G2"]
    assert parsed[0]["backbone_target"] == "5" and parsed[0]["met"] == "false"
    assert parsed[1]["met"] == "true" and parsed[1]["backbone_target"] == ""
    with pytest.raises(CommandError):
        call_command("quota_report", "--unit", "NOPE", stdout=io.StringIO())


def test_villages_below_quota_and_query_count(django_assert_max_num_queries):
    t = small_tree()
    for _ in range(5):
        person(t["v2"], level="backbone")
    with django_assert_max_num_queries(5):
        tree = quota_tree(year=2025)
    root = tree.root
    assert [v.code for v in villages_below_quota(root)] == ["V1", "V3"]
    assert root.villages_total == 3 and root.villages_met == 1


@pytest.mark.parametrize("group_target", [0, 1, 2])
def test_village_figures_agree_with_their_group_rows(group_target):
    t = small_tree()
    quota_target_set(year=2025, village_backbone=5, group_trained=group_target)
    person(t["g1"], level="ordinary")
    quota_override_set(year=2025, unit=t["g2"], target=0 if group_target else 3)
    quota_override_set(year=2025, unit=t["g3"], target=2)
    person(t["g3"], level="backbone")
    tree = quota_tree(year=2025)
    groups = tree.group_rows()
    for village in villages_below_quota(tree.root) + [tree.rows[t["v2"].pk]]:
        rows = groups.get(village.id, [])
        assert village.groups_total == len(rows)
        assert village.groups_covered == sum(r.met for r in rows)
        assert village.group_gap == sum(r.shortfall for r in rows)
