"""The draw engine. ``algorithm`` is pure standard library (the verifier imports it alone)."""
