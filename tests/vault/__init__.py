"""Tests of the Vault pack (a package, so its conftest has a name of its own)."""
