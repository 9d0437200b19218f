"""Synthetic users, plans, targets and observations for the web and access tests (not real figures).

County A is 秀洲区 (330411), county B is 南湖区 (330402), both in the city 嘉兴市 (330400).
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from gongfu.access import add_user
from gongfu.model import ObservationDraft
from gongfu.observations.service import store_drafts
from gongfu.store.db import Database
from gongfu.store.tables import PlanRow, TargetRow

PASSWORD = "synthetic-pass-1"
COUNTY_A, COUNTY_B, CITY, PROVINCE = "330411", "330402", "330400", "330000"
USERS = {  # name: (role, region)
    "admin": ("admin", PROVINCE),
    "city": ("analyst", CITY),
    "county_a": ("analyst", COUNTY_A),
    "county_b": ("analyst", COUNTY_B),
    "viewer_a": ("viewer", COUNTY_A),
    "reporter_a": ("reporter", COUNTY_A),
}
TEXT = "（synthetic）到2025年，城乡居民收入倍差缩小到1.90以内。居民人均可支配收入达到8万元。"


def add_users(db: Database) -> None:
    for name, (role, region) in USERS.items():
        add_user(db, name, role=role, region=region, password=PASSWORD, by="test")


def add_plan(db: Database, region: str, title: str) -> dict:
    """A plan with one target whose span points into the text; returns the plan and target ids."""
    span = "城乡居民收入倍差缩小到1.90以内"
    start = TEXT.index(span)
    with db.session() as s:
        plan = PlanRow(
            sha256=f"synthetic-{region}".ljust(64, "0"), file_name=f"synthetic-{region}.txt", kind="txt",
            encoding="utf-8", script="simplified", title=title, region_code=region, region_name=title[:3],
            period_start=2021, period_end=2025, original_text=TEXT, normalised_text=TEXT,
        )  # fmt: skip
        plan.targets = [
            TargetRow(
                position=0, indicator="城乡居民收入倍差", indicator_code="urban_rural_income_ratio",
                region_code=region, value=1.9, unit="", comparator="<=", year=2025, ambition="binding",
                baseline=2.0, section=None, start=start, end=start + len(span), span=span,
                sentence="到2025年，城乡居民收入倍差缩小到1.90以内。",
            )
        ]  # fmt: skip
        s.add(plan)
        s.flush()
        return {"plan_id": plan.id, "target_id": plan.targets[0].id}


def add_observations(db: Database, region: str) -> list[int]:
    drafts = [
        ObservationDraft(indicator="urban_rural_income_ratio", region=region, year=y, value=v, unit="",
                         source="synthetic.csv", source_row=i + 2, source_text=f"synthetic {v}")
        for i, (y, v) in enumerate([(2020, 2.0), (2021, 1.97), (2022, 1.95), (2023, 1.93)])
    ]  # fmt: skip
    store_drafts(db, drafts, source="synthetic.csv", by="test")
    from gongfu.observations.service import current_series

    return [r.id for r in current_series(db, "urban_rural_income_ratio", region)]


def seed(db: Database) -> dict:
    add_users(db)
    ids = {
        "a": add_plan(db, COUNTY_A, "秀洲区共同富裕行动方案（合成）"),
        "b": add_plan(db, COUNTY_B, "南湖区共同富裕行动方案（合成）"),
    }
    ids["a"]["observations"] = add_observations(db, COUNTY_A)
    ids["b"]["observations"] = add_observations(db, COUNTY_B)
    return ids


def token(client: TestClient, name: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": name, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def obs_csv(rows: list[tuple[str, str, str, str]]) -> bytes:
    """An observation file: (region_code, indicator, value, year) rows."""
    lines = ["region_code,indicator,value,unit,year"] + [f"{r},{i},{v},,{y}" for r, i, v, y in rows]
    return ("\n".join(lines) + "\n").encode()
