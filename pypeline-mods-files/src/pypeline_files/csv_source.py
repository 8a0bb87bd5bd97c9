"""PLACEHOLDER: helper replaces this file."""

from pypeline import BaseModule


class CsvSource(BaseModule):
    NAME = "csv_source"
    TYPE = "source"
    OUTPUT_PORTS = ["data", "reject"]
    GLOBALS = ["row_count", "file_size"]
    CONFIG_SCHEMA = {"required": {"file_path": {"type": "str", "description": "x"}}, "optional": {"encoding": {"type": "str", "default": "utf-8", "description": "x"}}}
