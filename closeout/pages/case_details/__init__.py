"""A case's details: the New case page, and editing or cancelling an Open case from its header."""
