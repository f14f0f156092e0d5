"""The Directory (managers): the facility list, and a facility's details, contacts and surgeons.
Importing the package registers its pages."""

from .facility_page import facility_page, new_facility_page
from .list_page import directory_page

__all__ = ["directory_page", "facility_page", "new_facility_page"]
