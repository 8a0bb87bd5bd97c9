"""PYpeline Vault pack: the ``vault:`` secret resolver on hvac (KV v1 and v2; token, AppRole and
Kubernetes auth; namespaces; TLS). See the package README for the options."""
