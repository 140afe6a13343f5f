"""Publish: an offline static site (maps, Table 1, timeline, evidence pages) and standard data exports.

``Site`` renders any page from a store (shared with `longarm serve`);
``publisher.publish`` writes them all, with the exports, into an OUT_DIR safely.
"""
