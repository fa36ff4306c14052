"""Smaller or faster variants of an installed model, made and measured on the user's own photos.

Every variant is evaluated before it is offered (agreement with the original, accuracy on the
photos the user reviewed, size, memory, images/s here); nothing is kept without the user's say.
"""
