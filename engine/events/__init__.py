"""Events: a camera's bursts grouped in time, labels smoothed across them, repeated boxes."""
