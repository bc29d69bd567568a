"""`python -m bench`: measure the hot paths on the database in DATABASE_URL (see bench/run.py)."""

import argparse
import os
import sys
from pathlib import Path


def main(argv=None) -> int:
    # Before Django reads its settings: production-like, and no throttling in the way.
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["API_ANON_RATE"] = "100000000/minute"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--repetitions", type=int, default=30, help="timed turns per target")
    parser.add_argument("--warmup", type=int, default=3, help="untimed turns per target first")
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(__file__).resolve().parent / "results" / "latest.json",
        help="where to write the figures (JSON)",
    )
    args = parser.parse_args(argv)

    import casetracker.wsgi  # noqa: F401 - set up as gunicorn serves the site
    from bench.run import BenchError, run, table

    try:
        report = run(repetitions=args.repetitions, warmup=args.warmup, output=args.output)
    except BenchError as error:
        print(f"make bench: {error}", file=sys.stderr)
        return 2
    from bench.run import Result

    machine = report["machine"]
    print()
    print(table([Result(**result) for result in report["results"]]))
    print()
    print(
        f"{report['data']['cases']} published cases; {machine['nproc']} CPUs, {machine['ram']} "
        f"RAM, PostgreSQL {machine['postgresql']}; ratio = median / floor median; fixed = a "
        "trivial request through the same stack (/api/v1/ for the API, a page not found for "
        "pages); goal: the median at most 2x (API) or 3x (pages) the floor plus the fixed "
        f"cost. Figures in {args.output}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
