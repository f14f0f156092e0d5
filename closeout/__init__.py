"""Closeout: close out surgical cases (Devices Used, Sign & Submit, Share)."""
