"""Fixtures shared by every test: the application on SQLite or PostgreSQL, a clean database per test, the
fixtures around tests/factories.py (people, the world, missions) and a counter of SQL statements.

With ``TEST_DATABASE_URL`` unset the suite uses a SQLite file per pytest worker; with it set (PostgreSQL), each
worker gets its own database created next to the given one (``test_<checkout>_gw0_suite``...).
"""

import hashlib
import os
import tempfile
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from app import create_app
from app.core import uploads
from app.core.database import append_only_ddl, append_only_tables, drop_append_only_ddl
from app.extensions import db as _db
from app.extensions import limiter
from tests import factories
from tests.factories import DEFAULT_PASSWORD
from tests.servers import S3_CREDENTIALS, S3_REGION, s3_client, s3_server

# Several checkouts of the project may run their suites on the same PostgreSQL server at once: the databases
# of one checkout carry a tag of its path.
_CHECKOUT_TAG = hashlib.sha1(str(Path(__file__).resolve().parents[1]).encode(), usedforsecurity=False).hexdigest()[:6]


def _worker_id() -> str:
    return f"{_CHECKOUT_TAG}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def _postgres_database(base_url: str, suffix: str) -> str:
    """Create (again) a database ``<name>_<suffix>`` beside ``base_url`` and return its URL."""
    url = make_url(base_url)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def fresh_database_url(suffix: str) -> str:
    """An empty database for one purpose (the suite, a migration test...), on the backend under test."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        return _postgres_database(base, f"{_worker_id()}_{suffix}")
    directory = Path(tempfile.mkdtemp(prefix=f"conges-{_worker_id()}-"))
    return f"sqlite:///{directory / (suffix + '.db')}"


@pytest.fixture(scope="session")
def database_url() -> str:
    return fresh_database_url("suite")


@pytest.fixture(scope="session")
def upload_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server started for the session (127.0.0.1, a free port), with a bucket ``conges-test``; boto3 finds
    its credentials in the environment, as in production."""
    with pytest.MonkeyPatch.context() as patch, s3_server() as endpoint:
        for name, value in S3_CREDENTIALS.items():
            patch.setenv(name, value)
        s3_client(endpoint).create_bucket(Bucket="conges-test")
        yield endpoint


@pytest.fixture
def s3_storage(app, s3_endpoint, monkeypatch):
    """The application stores its files in the bucket of :func:`s3_endpoint` for one test, under a prefix of its own;
    returns the store (``read``, ``exists``...)."""
    settings = {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": "conges-test",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": S3_REGION,
        "S3_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    return uploads.backend()


def _fast_commits(dbapi_connection, _record) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    dbapi_connection.commit()  # a SET inside a transaction rolled back later would be undone


class IsolatedClient(FlaskClient):
    """Each request runs in its own application context, as in production: ``g`` and the database session of
    the test are not shared with the request (the test's own context stays pushed around it)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, upload_dir):
    app = create_app(
        "testing",
        overrides={"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": str(upload_dir)},
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            # Test data need no durability: commits do not wait for the disk.
            event.listen(_db.engine, "connect", _fast_commits)
            _db.engine.dispose()
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _clean_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        # Empty only the tables this test wrote to (one query finds them); DELETE is cheaper than TRUNCATE on the
        # small tables of a test.
        probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)  # noqa: S608
        used = {row[0] for row in _db.session.execute(text(probe))}
        tables = [t for t in tables if t.name in used]
    dialect = _db.engine.dialect.name
    for table in tables:
        if table.name not in append_only_tables():
            _db.session.execute(table.delete())
        elif dialect == "postgresql":
            # The history refuses DELETE; TRUNCATE (which the application's database role is not granted in
            # production) fires no row trigger.
            _db.session.execute(text(f'TRUNCATE "{table.name}"'))
        else:
            for statement in [*drop_append_only_ddl(table.name, dialect), f'DELETE FROM "{table.name}"']:  # noqa: S608 - a table name of the schema
                _db.session.execute(text(statement))
            for statement in append_only_ddl(table.name, dialect):
                _db.session.execute(text(statement))
    _db.session.commit()


@pytest.fixture(autouse=True)
def _app_context(app):
    """Each test runs in an application context on empty tables, with fresh login throttling."""
    with app.app_context():
        limiter.reset()
        yield
        _db.session.rollback()
        _db.session.remove()
        _clean_tables()


@pytest.fixture
def db(_app_context):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_department(db):
    return factories.make_department


@pytest.fixture
def make_user(db):
    """``make_user(roles=("manager",), manager=boss, ...)`` creates and commits a user."""
    return factories.make_user


@pytest.fixture
def world(db) -> factories.World:
    """The people around a request (applicant, colleague, managers, delegate, two BRI officers, administrator), a
    department, Haiti and a cycle open today: see :func:`tests.factories.make_world`."""
    return factories.make_world()


@pytest.fixture
def make_mission(world):
    """``make_mission(status="report_due", applicant=..., end=date(...), changed_at=datetime(...), report={...})``: a
    request of the world brought to ``status`` (:func:`tests.factories.make_request`), by default a mission from 1
    to 26 March 2027 in Jacmel (or in the next free weeks of the applicant), in the cycle 2027."""

    def make(
        status: str = "report_due",
        applicant=None,
        start: date | None = None,
        end: date | None = None,
        country: str = "HT",
        partner_name: str = "Mairie de Jacmel",
        year: int | None = None,
        **fields,
    ):
        fields.setdefault("objectives", "Partager l'expertise en urbanisme.")
        fields.setdefault("expertise", "Urbanisme participatif")
        fields.setdefault("city", "Jacmel")
        fields.setdefault("amount", "2500.00")
        return factories.make_request(
            world,
            status,
            applicant=applicant,
            start=start,
            end=end,
            length=25,
            cycle=factories.year_cycle(year or (start.year if start else 2027)),
            country_code=country,
            partner=factories.partner_named(partner_name, country),
            **fields,
        )

    return make


@pytest.fixture
def count_queries(db):
    """``with count_queries() as statements: ...``: the SQL statements sent to the database inside the block."""

    @contextmanager
    def count():
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        engine = _db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return count


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as ``user`` through the login form."""

    def do_login(user, password: str = DEFAULT_PASSWORD, test_client=None):
        c = test_client or client
        response = c.post("/compte/connexion", data={"email": user.email, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return c

    return do_login


@pytest.fixture
def admin_user(make_user):
    return make_user(roles=("employee", "admin"), full_name="Alice Admin", email="admin@example.org")
