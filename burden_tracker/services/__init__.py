"""Use cases that change things. Keyword-only functions that take `session=`, commit once, raise domain errors,
and know nothing of HTTP. What only reads lives in queries/, which services may ask and which never asks them."""
