"""INT8 of a detector, calibrated and checked on the user's own photos (`optimize --detector`)."""
