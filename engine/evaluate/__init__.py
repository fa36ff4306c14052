"""`ocelote evaluate`: how the stored answers compare with a person's, per class and folder."""
