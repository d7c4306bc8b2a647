"""Full-text search, the same way for every domain: one search table per kind of object, kept up to date by
triggers, queried for words typed by a user.

A search table holds, for each indexed row (its ``key``), a few *groups* of text in decreasing weight (a person's
name weighs more than a paragraph of a report). The domains say which table, which groups and which triggers fill
them; this module knows the two dialects:

- PostgreSQL: one ``tsvector`` per group, and a generated ``document`` joining them with the weights A, B, C, D,
  under a GIN index. Texts go through the ``french_unaccent`` configuration (French stemming, accents removed by the
  ``unaccent`` dictionary before the stemmer, as in PostgreSQL's documentation of ``unaccent``). Ranked by
  ``ts_rank``.
- SQLite: an FTS5 virtual table whose columns are the groups, tokenizer ``unicode61 remove_diacritics 2``. Ranked by
  ``bm25``.

Typed words are cut into letters and digits only, so that no character of the query languages (quotes, ``*``,
``:``, ``&``, ``!``, parentheses, NEAR/AND/OR/NOT as operators) ever reaches them as syntax; every word must match
(AND), the last one as a prefix (``hôpi`` finds ``hôpital``).
"""

# ruff: noqa: S608 - DDL written from the schema's own names; typed words reach SQL only as bound parameters

import re
from dataclasses import dataclass

from sqlalchemy import Select, column, func, literal_column, table
from sqlalchemy.sql.elements import ColumnElement, Label

PG_CONFIG = "french_unaccent"
# Words of a query beyond these are ignored; longer words are cut (no indexed word is that long).
MAX_WORDS = 10
MAX_WORD_LENGTH = 64
_WORD = re.compile(r"[^\W_]+")
# The weights of the groups, first to last: PostgreSQL's defaults for A, B, C, D (ts_rank), the same for bm25.
_PG_WEIGHTS = "ABCD"
_WEIGHTS = (1.0, 0.4, 0.2, 0.1)

_INDEXES: list["SearchIndex"] = []


@dataclass(frozen=True)
class SearchIndex:
    """A search table: ``table`` keyed by ``key`` (the id of the indexed row), with ``groups`` of text, heaviest
    first (four at most)."""

    table: str
    key: str
    groups: tuple[str, ...]

    def __post_init__(self) -> None:
        if not 1 <= len(self.groups) <= len(_PG_WEIGHTS):
            raise ValueError(f"{self.table}: between 1 and {len(_PG_WEIGHTS)} groups")
        _INDEXES.append(self)

    def key_column(self, dialect: str) -> str:
        """The name of the key in SQL (FTS5 tables key their rows by ``rowid``)."""
        return self.key if dialect == "postgresql" else "rowid"


def is_search_table(name: str) -> bool:
    """Whether ``name`` is a search table or one of FTS5's shadow tables: they are built by the domains' DDL, not
    by the models, and schema comparisons (``flask db check``) leave them alone."""
    return any(name == index.table or name.startswith(f"{index.table}_") for index in _INDEXES)


def search_words(text: str | None) -> list[str]:
    """The words of a typed query: runs of letters and digits (everything else separates them)."""
    return [word[:MAX_WORD_LENGTH] for word in _WORD.findall(text or "")[:MAX_WORDS]]


# --- DDL -----------------------------------------------------------------------------------------------------------


def vector(dialect: str, sql: str) -> str:
    """The SQL that turns the text ``sql`` into what a group stores."""
    if dialect == "postgresql":
        return f"to_tsvector('{PG_CONFIG}', coalesce({sql}, ''))"
    return f"coalesce({sql}, '')"


def joined(*sql: str) -> str:
    """Texts joined by spaces (NULL counts as empty), in SQL that both dialects read."""
    return " || ' ' || ".join(f"coalesce({part}, '')" for part in sql)


def changed(columns: tuple[str, ...], dialect: str) -> str:
    """A trigger's WHEN condition: one of ``columns`` has a new value."""
    distinct = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{name} {distinct} NEW.{name}" for name in columns)


_PG_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{PG_CONFIG}') THEN
    CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$""",
]


def table_ddl(index: SearchIndex, dialect: str) -> list[str]:
    """The statements that create the (empty) search table of ``index``."""
    if dialect == "postgresql":
        groups = ", ".join(f"{group} tsvector" for group in index.groups)
        document = " || ".join(
            f"setweight(coalesce({group}, ''::tsvector), '{weight}')"
            for group, weight in zip(index.groups, _PG_WEIGHTS, strict=False)
        )
        return [
            *_PG_SETUP,
            f"CREATE TABLE {index.table} ({index.key} integer PRIMARY KEY, {groups}, "
            f"document tsvector GENERATED ALWAYS AS ({document}) STORED)",
            f"CREATE INDEX ix_{index.table}_document ON {index.table} USING gin (document)",
        ]
    columns = ", ".join(index.groups)
    return [
        f"CREATE VIRTUAL TABLE {index.table} USING fts5({columns}, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    ]


def drop_table_ddl(index: SearchIndex, dialect: str) -> list[str]:
    statements = [f"DROP TABLE IF EXISTS {index.table}"]
    if dialect == "postgresql":
        statements.append(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}")
    return statements


def trigger_ddl(name: str, dialect: str, when: str, on: str, body: list[str], condition: str = "") -> list[str]:
    """A row trigger ``name`` run ``when`` (``AFTER INSERT``, ``AFTER UPDATE OF a, b``...) ``on`` a table, doing
    the statements of ``body`` (which read ``NEW.`` and ``OLD.``), if ``condition`` holds."""
    where = f" WHEN ({condition})" if condition else ""
    statements = "; ".join(body)
    if dialect == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {statements}; RETURN NULL; END $$",
            f"CREATE TRIGGER {name} {when} ON {on} FOR EACH ROW{where} EXECUTE FUNCTION {name}()",
        ]
    return [f"CREATE TRIGGER {name} {when} ON {on} FOR EACH ROW{where} BEGIN {statements}; END"]


def drop_trigger_ddl(name: str, dialect: str, on: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {on}", f"DROP FUNCTION IF EXISTS {name}()"]
    return [f"DROP TRIGGER IF EXISTS {name}"]


# --- Queries -------------------------------------------------------------------------------------------------------


def _pg_query(index: SearchIndex, words: list[str], groups: tuple[str, ...] | None) -> str:
    weights = "".join(_PG_WEIGHTS[index.groups.index(group)] for group in groups or ())
    last = len(words) - 1
    return " & ".join(f"{word}:{'*' if i == last else ''}{weights}".rstrip(":") for i, word in enumerate(words))


def _fts5_query(index: SearchIndex, words: list[str], groups: tuple[str, ...] | None) -> str:
    columns = f"{{{' '.join(groups)}}} : " if groups else ""
    last = len(words) - 1
    # Words hold letters and digits only: inside double quotes FTS5 reads them as plain strings.
    return " AND ".join(f'{columns}"{word}"{"*" if i == last else ""}' for i, word in enumerate(words))


def search(
    query: Select,
    index: SearchIndex,
    key: ColumnElement,
    words: list[str],
    groups: tuple[str, ...] | None = None,
    dialect: str = "sqlite",
) -> tuple[Select, Label]:
    """``query`` restricted to the rows (``key``) whose search text holds every word (the last one as a prefix),
    in the given ``groups`` (default all), and their relevance (higher is better) as a labelled expression to order
    or page on."""
    if dialect == "postgresql":
        searched = table(index.table, column(index.key), column("document"))
        tsquery = func.to_tsquery(literal_column(f"'{PG_CONFIG}'::regconfig"), _pg_query(index, words, groups))
        query = query.join(searched, searched.c[index.key] == key).where(searched.c.document.op("@@")(tsquery))
        return query, func.ts_rank(searched.c.document, tsquery).label("search_rank")
    searched = table(index.table, column("rowid"))
    fts = literal_column(index.table)
    query = query.join(searched, searched.c.rowid == key).where(fts.op("MATCH")(_fts5_query(index, words, groups)))
    weights = _WEIGHTS[: len(index.groups)]
    # bm25 is lower for better matches.
    return query, (-func.bm25(fts, *weights)).label("search_rank")
