"""PLACEHOLDER: helper replaces this file."""

from pypeline import BaseModule


class ParquetSink(BaseModule):
    NAME = "parquet_sink"
    TYPE = "sink"
    INPUT_PORTS = ["input"]
    GLOBALS = ["row_count"]
    CONFIG_SCHEMA = {"required": {"output_path": {"type": "str", "description": "x"}}, "optional": {}}
