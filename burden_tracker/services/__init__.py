"""Use cases. Keyword-only functions that take `session=`, commit once, raise domain errors,
and know nothing of HTTP."""
