"""The Devices Used tab: review and edit every device line, add from the catalog,
see billable totals."""

from .state import DevicesState
from .tab import devices_used_tab

__all__ = ["DevicesState", "devices_used_tab"]
