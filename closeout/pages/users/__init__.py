"""User management for managers: the list with Add user (list_page, add_user), one user's
page (detail_page and its state), and the one-time link card both show (link_card)."""
