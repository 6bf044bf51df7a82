"""Everything that only reads: lists, the nomination page, the board panel, reports, tallies, similar
nominations, wins, the reference cache and dialect terms. Keyword-only functions that take `session=`, change
nothing and know nothing of HTTP; the one home of speed tricks. Services may ask here; nothing here asks them."""
