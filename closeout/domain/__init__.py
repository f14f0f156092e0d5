"""The pure core: rules about money, pricing, validation and the case lifecycle.

Nothing here imports Reflex or touches the database, so the rules are tested
directly and every service asks the same code.
"""
