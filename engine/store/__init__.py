"""The model store's room: catalog, download, install, import, pack, verify.

`engine.models.store` keeps the functions the rest of the engine calls (find_card, verify…);
this package holds the parts that put models into the store and prove they are intact.
"""
