"""Option specs the three SQL modules share, written once so their descriptions agree."""

from __future__ import annotations

from typing import Any

URL_OPTION: dict[str, Any] = {
    "type": "str",
    "description": "SQLAlchemy URL: sqlite:///file.db (relative to the working directory), "
    "postgresql+psycopg://user:pw@host:5432/db or mysql+pymysql://user:pw@host:3306/db; "
    "templates and secret() allowed; the password is masked in every message.",
}

SCHEMA_OPTION: dict[str, Any] = {
    "type": "str",
    "description": "Database schema of the table (PostgreSQL schema, MySQL database); "
    "default: the connection's.",
}

PARAMS_OPTION: dict[str, Any] = {
    "type": "dict",
    "default": {},
    "description": "Values for the SQL's :name placeholders, bound by the driver "
    "(never pasted into the SQL text).",
}
