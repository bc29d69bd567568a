"""The benchmark (`make bench`) runs end to end on a tiny synthetic dataset: every endpoint
answers, its floor shows the same records, and the figures are written. No timing is asserted:
the figures only mean something on the large datasets (docs/performance.md)."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from bench import run as bench
from bench.__main__ import main

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data():
    call_command("loaddata", "demo", verbosity=0)
    call_command("generate_synthetic", cases=4, seed=3, verbosity=0)


def test_the_benchmark_measures_every_hot_path_next_to_its_floor(data, tmp_path):
    output = tmp_path / "latest.json"
    if connection.vendor != "postgresql":
        with pytest.raises(bench.BenchError, match="needs PostgreSQL"):
            bench.run(repetitions=1, warmup=1, output=output, log=None)
        assert not output.exists()
        return
    report = bench.run(repetitions=2, warmup=1, output=output, log=None)
    assert json.loads(output.read_text()) == report
    names = [result["name"] for result in report["results"]]
    assert len(names) == 11
    assert any("deep page" in name for name in names)
    for result in report["results"]:
        assert result["queries"] >= 1, result["name"]
        assert result["bytes"] > 0 and result["floor_bytes"] > 0, result["name"]
        assert len(result["samples_ms"]) == len(result["floor_samples_ms"]) == 2
        # the goal's ratio counts a trivial request through the same stack on top of the floor
        assert result["fixed_median_ms"] > 0, result["name"]
        assert 0 < result["stack_ratio"] < result["ratio"], result["name"]
    assert report["data"]["synthetic_cases"] == 4
    assert report["machine"]["postgresql"]
    table = bench.table([bench.Result(**result) for result in report["results"]])
    assert table.count("\n") == 12
    assert "| API case detail |" in table


def test_without_synthetic_data_the_benchmark_says_how_to_add_it(capsys, monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "false")  # main() sets these two for its own run
    monkeypatch.setenv("API_ANON_RATE", "600/minute")
    assert main(["--repetitions", "1"]) == 2
    error = capsys.readouterr().err
    if connection.vendor == "postgresql":
        assert "generate_synthetic --cases" in error
    else:
        assert "needs PostgreSQL" in error
