"""Jimo district programme evaluation: input contracts (inputs/), metrics and report building.

Data flows one way: data/ -> jimo_eval (this package) -> notebooks/ -> reports/.
"""

__version__ = "0.1.0"
