"""One module per page (or tab), its State beside it."""
