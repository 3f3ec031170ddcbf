"""Reference data shipped with the code: provinces and cities (regions.json, GB/T 2260)."""

import json
from pathlib import Path

REGIONS = Path(__file__).resolve().parent / "regions.json"


def load_regions(region_model) -> None:
    """Insert the 31 provinces and their cities. Takes the model class, so that the
    migration can pass its historical model."""
    data = json.loads(REGIONS.read_text(encoding="utf-8"))
    region_model.objects.bulk_create(
        [region_model(code=code, name=name, name_en=name_en, level="province")
         for code, name, name_en in data["provinces"]]
    )
    region_model.objects.bulk_create(
        [region_model(code=code, name=name, name_en=name_en, level="city", province_id=province)
         for code, name, name_en, province, _kind in data["cities"]]
    )
