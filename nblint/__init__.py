"""nblint: lint the notebook pods a platform will really create."""

__version__ = "0.1.0"
