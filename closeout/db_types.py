"""Column types that keep money exact and times timezone-aware on every database."""

from datetime import UTC
from decimal import Decimal

import sqlalchemy as sa

from .domain.money import CENT


class Money(sa.types.TypeDecorator):
    """A Decimal with 2 places stored as integer cents: exact on SQLite and PostgreSQL,
    and SUM()-able without floating point."""

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        cents = Decimal(value) * 100
        if cents != cents.to_integral_value():
            raise ValueError(f"{value} has more than 2 decimal places")
        return int(cents)

    def process_result_value(self, value, dialect):
        return None if value is None else (Decimal(value) / 100).quantize(CENT)


class UTCDateTime(sa.types.TypeDecorator):
    """Always aware UTC in Python; SQLite keeps the naive UTC value."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
