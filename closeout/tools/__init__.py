"""Small command-line helpers for the Makefile."""
