"""The load test (`make loadtest`, `python -m bench.loadtest`): locust's clients against gunicorn
on 127.0.0.1, on a PostgreSQL database of its own holding synthetic data.

- `run.py` sets everything up (database, data, static files, gunicorn), runs each scenario with
  locust headless and prints the figures;
- `mix.py` says what the clients ask for and how often (plain data, no locust);
- `locustfile.py` turns the mix into locust users and writes each scenario's figures.
"""
