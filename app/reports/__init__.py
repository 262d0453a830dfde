"""Statistics for the owner and the education bureau (read-only aggregates, no ORM objects)."""
