"""Reference codes can be read aloud and typed back however a person writes them."""

from campaigns.refcodes import ALPHABET, format_code, generate_code, normalize_code


def test_codes_avoid_look_alike_characters():
    codes = {generate_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 8 and set(code) <= set(ALPHABET) for code in codes)
    assert not set("0O1IL2Z5S8B") & set(ALPHABET)


def test_typed_codes_are_normalised():
    assert normalize_code(" k7mx-q4pa ") == "K7MXQ4PA"
    assert format_code("K7MXQ4PA") == "K7MX-Q4PA"
