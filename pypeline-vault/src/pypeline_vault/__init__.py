"""PYpeline Vault pack: the ``vault:`` secret resolver on hvac (to come)."""
