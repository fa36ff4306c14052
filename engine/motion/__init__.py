"""Boxes from what moved: a background per camera for the path without a detector."""
