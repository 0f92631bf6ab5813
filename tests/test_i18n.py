import string

import pytest

from jimo_eval.core.i18n import TEXT, number, percent, sentences, text


def test_every_string_exists_in_both_languages_with_the_same_fields():
    for key, versions in TEXT.items():
        assert set(versions) == {"zh", "en"}, key
        fields = [{name for _, name, _, _ in string.Formatter().parse(v) if name} for v in versions.values()]
        assert fields[0] == fields[1], key


def test_text_fills_fields_and_unknown_keys_raise():
    assert text("chart.claimed_line", "en", claimed="1.35") == "Published ×1.35"
    with pytest.raises(KeyError):
        text("no.such.key", "zh")


def test_sentences_follow_each_language():
    assert sentences("en", "One.", "", "Two.") == "One. Two."
    assert sentences("zh", "一。", "二。") == "一。二。"


def test_number_formats():
    assert percent(0.9518) == "95.2%"
    assert percent(None) == "—"
    assert number(12345.678) == "12,345.68"
    assert number(1.23456, 3) == "1.235"


def test_shared_formatters():
    from jimo_eval.core.i18n import days, group_label, interval, label

    assert days(None, "en") == "not reached" and days(17.56, "zh") == "17.6"
    assert interval((1.234, 5.678), 1) == "1.2 – 5.7"
    assert label("gs.mode.social", "en", "social") == "Social investment"
    assert label("gs.mode.barter", "en", "barter") == "barter"  # unknown data values are shown as given
    assert group_label("walk_in", "zh") == "来访" and group_label("绿化带", "en") == "绿化带"
