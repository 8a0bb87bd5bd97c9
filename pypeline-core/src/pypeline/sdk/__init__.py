"""The module author's SDK: ``BaseModule``, ``RunContext`` and the ``DataArtifact`` protocol."""
