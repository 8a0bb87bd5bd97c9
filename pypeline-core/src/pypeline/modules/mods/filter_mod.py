"""PLACEHOLDER: helper replaces this file."""

from pypeline.sdk.base import BaseModule


class FilterMod(BaseModule):
    NAME = "filter_mod"
    TYPE = "mod"
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output", "reject"]
    CONFIG_SCHEMA = {"required": {"condition": {"type": "str", "description": "x"}}, "optional": {}}
