"""Use cases: each public function is one transaction that checks access and the
lifecycle through domain/, writes an audit row and commits. States call these."""
