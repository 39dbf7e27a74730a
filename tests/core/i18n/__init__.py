"""Languages, catalogues, and dates in the event's time zone."""
