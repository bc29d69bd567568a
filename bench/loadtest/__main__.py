"""`python -m bench.loadtest` (`make loadtest`): see bench/loadtest/run.py."""

import sys

from bench.loadtest.run import main

if __name__ == "__main__":
    sys.exit(main())
