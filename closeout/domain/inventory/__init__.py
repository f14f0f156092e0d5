"""Field inventory (issue 24), pure rules: locations, the double-entry ledger, loaner kits,
what a case consumes, cycle counts, par levels and the opening-balance CSV. No database here."""
