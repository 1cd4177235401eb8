"""The draw engine. ``algorithm`` is the platform's implementation of docs/draw.md and
``verifier`` an independent one, for outsiders; both are pure standard library."""
