"""Documents generated from a case: the sales order PDF."""
