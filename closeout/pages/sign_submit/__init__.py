"""The Sign & Submit tab."""

from .state import SignState
from .tab import sign_submit_tab

__all__ = ["SignState", "sign_submit_tab"]
