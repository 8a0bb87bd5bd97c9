"""A small generated sample shaped like Kedro's spaceflights raw data (not the real files).

Writes ``companies.csv``, ``reviews.csv`` and ``shuttles.csv`` (Kedro's is ``shuttles.xlsx``;
CSV here, same columns) with the values that make the data-processing step need cleaning:
prices like ``$1,715.0``, ratings like ``90%``, booleans as ``t``/``f``, and nulls scattered
in every kind of column. Some shuttles have no review and some reviews name no known shuttle,
so both joins drop rows. Seeded: the same files every time.

Usage: ``python examples/spaceflights/make_data.py [FOLDER] [SHUTTLES]`` (default: the
``data/`` folder beside this script, 300 shuttles).
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LOCATIONS = ["Niue", "Anguilla", "Russian Federation", "Barbados", "Sri Lanka", "Faroe Islands"]
SHUTTLE_TYPES = ["Type V5", "Type F5", "Type V2", "Type F3"]
ENGINES = ["Quantum", "Plasma", "Nuclear"]
VENDORS = ["ThetaBase Services", "Banks, Wood and Phillips", "Pearson-Hall"]
POLICIES = ["strict", "moderate", "flexible"]
REVIEW_SCORES = [
    "review_scores_rating",
    "review_scores_comfort",
    "review_scores_amenities",
    "review_scores_trip",
    "review_scores_crew",
    "review_scores_location",
    "review_scores_price",
]


def _maybe(rng: random.Random, value: Any, share: float = 0.04) -> Any:
    """``value``, or an empty cell (a null once read) in about ``share`` of the rows."""
    return "" if rng.random() < share else value


def _tf(rng: random.Random) -> str:
    return "t" if rng.random() < 0.6 else "f"


def companies(rng: random.Random, n: int) -> list[dict[str, Any]]:
    """``id, company_rating, company_location, total_fleet_count, iata_approved``."""
    return [
        {
            "id": 3000 + i,
            "company_rating": _maybe(rng, f"{rng.randint(40, 100)}%"),
            "company_location": _maybe(rng, rng.choice(LOCATIONS)),
            "total_fleet_count": _maybe(rng, float(rng.randint(1, 8))),
            "iata_approved": _maybe(rng, _tf(rng)),
        }
        for i in range(n)
    ]


def shuttles(rng: random.Random, n: int, company_count: int) -> list[dict[str, Any]]:
    """Kedro's 13 shuttle columns; ``company_id`` sometimes names no company."""
    rows = []
    for i in range(n):
        price = rng.randint(300, 9000) + rng.choice([0.0, 0.5])
        rows.append(
            {
                "id": 60000 + i,
                "shuttle_location": _maybe(rng, rng.choice(LOCATIONS)),
                "shuttle_type": rng.choice(SHUTTLE_TYPES),
                "engine_type": _maybe(rng, rng.choice(ENGINES)),
                "engine_vendor": rng.choice(VENDORS),
                "engines": _maybe(rng, float(rng.randint(1, 4))),
                "passenger_capacity": rng.randint(1, 8),
                "cancellation_policy": rng.choice(POLICIES),
                "crew": _maybe(rng, float(rng.randint(1, 6))),
                "d_check_complete": _maybe(rng, _tf(rng)),
                "moon_clearance_complete": _maybe(rng, _tf(rng)),
                "price": _maybe(rng, f"${price:,.1f}"),
                "company_id": 3000 + rng.randrange(company_count + 5),
            }
        )
    return rows


def reviews(rng: random.Random, shuttle_count: int) -> list[dict[str, Any]]:
    """One review row for most shuttles, a few for shuttles that do not exist."""
    rows = []
    for i in range(shuttle_count + 10):
        if rng.random() < 0.1:
            continue  # a shuttle without reviews
        row: dict[str, Any] = {"shuttle_id": 60000 + i}
        for column in REVIEW_SCORES:
            high = 100 if column == "review_scores_rating" else 10
            row[column] = _maybe(rng, float(rng.randint(high // 2, high)), 0.02)
        row["number_of_reviews"] = rng.randint(0, 130)
        row["reviews_per_month"] = _maybe(rng, round(rng.uniform(0.1, 9.0), 2))
        rows.append(row)
    return rows


def write(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def make(folder: Path, shuttle_count: int = 300) -> None:
    """Write the three raw files into ``folder``."""
    rng = random.Random(2160)  # the year of Kedro's scenario
    company_count = max(shuttle_count // 4, 1)
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / "companies.csv", companies(rng, company_count))
    write(folder / "shuttles.csv", shuttles(rng, shuttle_count, company_count))
    write(folder / "reviews.csv", reviews(rng, shuttle_count))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "data"
    make(target, int(sys.argv[2]) if len(sys.argv) > 2 else 300)
    print(f"wrote companies.csv, shuttles.csv and reviews.csv in {target}")
