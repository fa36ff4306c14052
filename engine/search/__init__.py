"""Teach Ocelote the park's own species: frozen-backbone features, a light head, and a search
for the backbone variant × resolution × feature layer × head that fits this PC.

dataset (labels) → features (cached embeddings) → head (cross-validated) → export (one ONNX
graph, a model card, the store); nas measures accuracy and speed and returns a Pareto front.
"""
