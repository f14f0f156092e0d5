"""`make bench`: each benchmark prints its figures (and ratios where an issue asks)."""
