"""Checks of the paper's claims against exact counts (see ``python -m proofs``)."""
