"""The mixed run's reads: a Zipf table over every detail URL, as bench/report.lua reads it."""

from itertools import pairwise

import pytest

from bench.mixed import write_table, zipf_table

PATHS = [f"/api/v1/articles/a-{i}/?lang={lang}" for i in range(50) for lang in ("en", "ar", "uk")]


def probabilities(table: list[tuple[float, str]]) -> list[float]:
    """Each rank's own probability, from the cumulative ones."""
    shares = [share for share, _path in table]
    return [shares[0]] + [high - low for low, high in pairwise(shares)]


def test_every_path_is_ranked_once_and_probabilities_rise_to_exactly_one():
    table = zipf_table(PATHS)
    shares = [share for share, _path in table]
    assert sorted(path for _share, path in table) == sorted(PATHS)
    assert shares == sorted(shares)
    assert shares[-1] == 1.0


def test_rank_r_is_read_in_proportion_to_one_over_r_to_the_s():
    p = probabilities(zipf_table(PATHS, s=1.1))
    assert p[0] / p[1] == pytest.approx(2**1.1)
    assert p[0] / p[9] == pytest.approx(10**1.1)


def test_the_ranks_are_a_seeded_shuffle_not_the_articles_order():
    assert zipf_table(PATHS, seed=1) == zipf_table(PATHS, seed=1)
    assert zipf_table(PATHS, seed=1) != zipf_table(PATHS, seed=2)
    assert [path for _share, path in zipf_table(PATHS)] != PATHS


def test_the_table_file_has_one_probability_and_path_per_line(tmp_path):
    table = zipf_table(PATHS)
    lines = write_table(table, tmp_path / "paths.txt").read_text().splitlines()
    assert len(lines) == len(PATHS)
    share, path = lines[0].split(" ")
    assert path == table[0][1]
    assert float(share) == pytest.approx(table[0][0])
    assert float(lines[-1].split(" ")[0]) == 1.0
