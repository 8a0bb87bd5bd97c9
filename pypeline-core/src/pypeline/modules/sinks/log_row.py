"""PLACEHOLDER: helper replaces this file."""

from pypeline.sdk.base import BaseModule


class LogRow(BaseModule):
    NAME = "log_row"
    TYPE = "sink"
    INPUT_PORTS = ["input"]
    CONFIG_SCHEMA = {"required": {}, "optional": {"limit": {"type": "int", "default": 20, "description": "x"}}}
