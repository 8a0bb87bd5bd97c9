"""PYpeline SQL pack: ``sql_source``, ``sql_sink`` and ``sql_exec`` on SQLAlchemy 2."""
