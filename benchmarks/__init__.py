"""Benchmarks: SQL statements and response times of the list pages as the data grow (``make bench``)."""
