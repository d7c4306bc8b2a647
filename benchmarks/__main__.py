"""Run with ``make bench`` (or ``python -m benchmarks [--sizes 50,500]``).

For each list page, loads N rows, requests the page several times and prints the median response time and the
number of SQL statements. The statement count must stay flat when N grows (no query per row); the times are for
reading, not asserted (tests assert behaviour, benchmarks measure).
"""

import argparse
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event

from app import create_app
from app.extensions import db
from benchmarks.pages import PAGES


@contextmanager
def count_statements():
    counter = {"n": 0}

    def before(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def measure(app, client, path: str, repeat: int = 5) -> tuple[float, int]:
    timings = []
    statements = 0
    for _ in range(repeat):
        with app.app_context(), count_statements() as counter:
            started = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
            statements = counter["n"]
    return statistics.median(timings) * 1000, statements


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50,500")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'page':<34} {'rows':>6} {'median ms':>10} {'SQL statements':>15}")
    for page in PAGES:
        for size in sizes:
            directory = Path(tempfile.mkdtemp(prefix="conges-bench-"))
            app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'bench.db'}"})
            with app.app_context():
                db.create_all()
                user = page.setup(size)
                db.session.commit()
                email = user.email
            client = app.test_client()
            client.post("/compte/connexion", data={"email": email, "password": page.password})
            ms, statements = measure(app, client, page.path)
            print(f"{page.name:<34} {size:>6} {ms:>10.1f} {statements:>15}")


if __name__ == "__main__":
    main()
