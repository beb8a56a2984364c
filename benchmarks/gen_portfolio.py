"""Write a realistic portfolio of N engagements as a JSON Lines file.

Each engagement is one of the bundled examples (``outsourcekit.examples_path()``,
the same files as ``examples/engagements``), varied so that no two are alike
while each stays as realistic as the example it comes from (about 5 KB of JSON
and 8 to 9 findings on 2026-11-22):

* its id is unique (the example's id and a number), and so are the client's
  name and the title;
* the vendor is one of a few thousand (the example's vendor and a number), as
  in a marketplace where vendors serve many clients;
* every date and date-time is moved by the same number of days (from 120
  days earlier to 30 days later), so that the order of its facts holds;
* one engagement in eight leaves out one of its logs (check-ins, reviews,
  KPI measurements or milestones), which changes its findings.

The output depends only on N and the seed. Used by ``bench_stream.py`` and by
hand:

    python benchmarks/gen_portfolio.py 100000 big.jsonl
    outsourcekit check big.jsonl --as-of 2026-11-22 --format jsonl -o out.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import outsourcekit as ok
from outsourcekit.examples import examples_path

if TYPE_CHECKING:
    from collections.abc import Iterator

#: How many distinct vendors each example's vendor becomes.
VENDORS_PER_EXAMPLE = 400
#: The logs one engagement in eight leaves out (one of them).
LOGS = ("check_ins", "reviews", "kpis", "milestones")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?=$|T)")


def examples() -> list[dict[str, Any]]:
    """Return the bundled examples as plain data, as a file would hold them."""
    loaded = ok.load(examples_path())
    engagements = loaded if isinstance(loaded, list) else [loaded]
    return [ok.to_dict(e) for e in engagements]


def _shift(value: Any, days: int) -> Any:
    """Return *value* with every ISO date inside it moved by *days*."""
    if isinstance(value, str):
        match = _DATE.match(value)
        if match is None or len(value) > 40:
            return value
        try:
            day = dt.date(*map(int, match.groups())) + dt.timedelta(days=days)
        except ValueError:
            return value
        return day.isoformat() + value[10:]
    if isinstance(value, dict):
        return {key: _shift(item, days) for key, item in value.items()}
    if isinstance(value, list):
        return [_shift(item, days) for item in value]
    return value


def engagement(base: dict[str, Any], number: int, rng: random.Random) -> dict[str, Any]:
    """Return the example *base* varied as the engagement *number* of a portfolio."""
    item = _shift(base, rng.randint(-120, 30))
    item["id"] = f"{base['id']}-{number:07d}"
    client = dict(item.get("client") or {})
    client["name"] = f"{client.get('name', 'Client')} {number:07d}"
    item["client"] = client
    if "title" in item:
        item["title"] = f"{item['title']} for {client['name']}"
    vendor = dict(item.get("vendor") or {})
    which = rng.randrange(VENDORS_PER_EXAMPLE)
    vendor["name"] = f"{vendor.get('name', 'Vendor')} {which:04d}"
    if "id" in vendor:
        vendor["id"] = f"{vendor['id']}-{which:04d}"
    item["vendor"] = vendor
    if rng.random() < 0.125:
        dropped = rng.choice(LOGS)
        if dropped == "kpis":
            item["kpis"] = [
                {k: v for k, v in kpi.items() if k != "measurements"}
                for kpi in item.get("kpis", [])
            ]
        else:
            item.pop(dropped, None)
    return item


def portfolio(count: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Yield *count* varied engagements, cycling through the examples."""
    rng = random.Random(seed)
    bases = examples()
    for number in range(count):
        yield engagement(bases[number % len(bases)], number, rng)


def write_jsonl(path: Path, count: int, seed: int = 0) -> Path:
    """Write *count* engagements to *path*, one JSON object per line; return it."""
    with path.open("w", encoding="utf-8") as file:
        for item in portfolio(count, seed):
            file.write(json.dumps(item, ensure_ascii=False))
            file.write("\n")
    return path


def main() -> None:
    """Write the portfolio the command line names."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many engagements")
    parser.add_argument("output", type=Path, help="the .jsonl file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_jsonl(args.output, args.count, args.seed)
    size = args.output.stat().st_size
    print(f"wrote {args.count:,} engagements to {args.output} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
