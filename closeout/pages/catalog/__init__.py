"""The catalog (managers): products, contract prices and manufacturers, imported and exported
as CSV. Importing the package registers its page."""

from .page import catalog_page

__all__ = ["catalog_page"]
