"""Migration 0005: pages, articles and failures without PRIMARY KEY indexes.

Uniqueness of their keys is kept by the writer's staged merge, under the writer lock on a
file (warehouse/writer.py, warehouse/session.py), and proven by `regionews check`. The
indexes it replaces were rewritten by every checkpoint, so each write session cost more as
the tables grew (88 % of the load time at 100k articles), and their in-memory ART grew the
writer's memory with the table.

DuckDB cannot drop a key in place, so each table is rebuilt under its own name. The statements
are made from the table as this database has it, because later migrations may already have run
on it (0006-0012 add columns, some with a DEFAULT): every column keeps its name, order, type,
NOT NULL and DEFAULT, every row is copied, and any other index on the table is made again.
Views over the tables (0004) bind by name when queried, so they read the rebuilt tables.
On DuckLake the tables never had keys (`lake.for_lake`): nothing to do.
"""

from __future__ import annotations

import duckdb

from warehouse import lake

TABLES = ("pages", "articles", "failures")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rebuild(con: duckdb.DuckDBPyConnection, table: str) -> str:
    columns = con.execute(
        "SELECT column_name, data_type, column_default, is_nullable FROM duckdb_columns() "
        "WHERE table_name = ? AND schema_name = current_schema() AND database_name = current_database() "
        "ORDER BY column_index",
        [table],
    ).fetchall()
    indexes = con.execute(
        "SELECT sql FROM duckdb_indexes() WHERE table_name = ? AND schema_name = current_schema() "
        "AND database_name = current_database() AND sql IS NOT NULL",
        [table],
    ).fetchall()
    new = f"{table}_0005"
    defs = []
    for name, data_type, default, nullable in columns:
        text = f"{_ident(name)} {data_type}"
        if not nullable:
            text += " NOT NULL"
        if default is not None:
            text += f" DEFAULT {default}"
        defs.append(text)
    statements = [
        f"CREATE TABLE {new} (\n    " + ",\n    ".join(defs) + "\n)",
        f"INSERT INTO {new} SELECT * FROM {table}",
        f"DROP TABLE {table}",
        f"ALTER TABLE {new} RENAME TO {table}",
        *(sql.rstrip().rstrip(";") for (sql,) in indexes),
    ]
    return ";\n".join(statements) + ";\n"


def statements(con: duckdb.DuckDBPyConnection) -> str:
    """The SQL that rebuilds each keyed table without its key (nothing on DuckLake)."""
    if lake.in_lake(con):
        return ""
    return "".join(_rebuild(con, table) for table in TABLES)
