"""Field inventory services (issue 24), one module per capability: locations, ledger (every
change of stock), stock (receipts and scans into a location), transfers, consumption (a case's
devices at Submit for Billing), kits, replenishment orders, counts, stock import, queries.
Every public function re-checks the actor's access to each id it is handed (access.py)."""
