"""``python -m benchmarks.tick``: run ``flask workflow tick`` once in a fresh process and print, as one JSON line, the
time the command itself took (the interpreter's start and the application's import left out) and what it printed.

A process of its own, so that the benchmark can stop a tick that takes longer than its budget.
"""

import json
import time


def main() -> None:
    from benchmarks.inprocess import make_app

    app = make_app()
    runner = app.test_cli_runner()
    with app.app_context():  # what `flask` gives every command
        started = time.perf_counter()
        result = runner.invoke(args=["workflow", "tick"])
        seconds = time.perf_counter() - started
    error = None if result.exception is None or isinstance(result.exception, SystemExit) else repr(result.exception)
    print(json.dumps({"seconds": seconds, "exit_code": result.exit_code, "output": result.output, "error": error}))


if __name__ == "__main__":
    main()
