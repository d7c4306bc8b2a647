"""The report pages, by audience: ``common`` (every reader: the report, its PDF and files), ``employee`` (write and
submit), ``bri`` (the queue, the decision, the archive)."""
