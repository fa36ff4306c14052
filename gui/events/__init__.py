"""The window's side of events and repeated detections (issue #18): one tile per event,
an event's photos on demand, and repeated boxes dismissed a whole group at a time."""
