import pandas as pd

from jimo_eval.core.disclosure import OTHER, count_in_words, merge_small_groups, suppressed_count
from jimo_eval.core.status import SUPPRESSED


def test_small_groups_merge_into_other():
    labels = pd.Series(["a"] * 12 + ["b"] * 3 + ["c"] * 4 + ["d"] * 20)
    merged = merge_small_groups(labels, 10)
    assert merged.value_counts().to_dict() == {"d": 20, "a": 12, OTHER: 7}


def test_a_lone_small_group_takes_the_next_smallest_with_it():
    # Alone, "other" would be just "b" renamed, and its 3 derivable from the total.
    labels = pd.Series(["a"] * 12 + ["b"] * 3 + ["d"] * 20)
    assert merge_small_groups(labels, 10).value_counts().to_dict() == {"d": 20, OTHER: 15}


def test_nothing_small_nothing_changes():
    labels = pd.Series(["a"] * 10 + ["b"] * 11)
    assert merge_small_groups(labels, 10).equals(labels)


def test_suppressed_count_is_the_gss_marker_in_a_table_and_words_in_a_sentence():
    assert suppressed_count(9, 10) == SUPPRESSED == "[c]"
    assert suppressed_count(10, 10) == "10"
    assert count_in_words(9, 10) == "<10"  # a sentence has no legend to explain [c]
    assert count_in_words(10, 10) == "10"
