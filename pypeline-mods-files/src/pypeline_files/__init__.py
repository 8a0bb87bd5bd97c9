"""PYpeline file pack: CSV and Parquet sources and sinks, file listing."""
