"""The yardstick of ``make bench``: a Flask hello-world, served by the same gunicorn settings as the application.

``gunicorn benchmarks.hello:app``. A page's share of its requests per second says what the application costs on top of
Flask and gunicorn on this machine, whatever the machine.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
