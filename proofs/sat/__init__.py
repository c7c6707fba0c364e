"""SAT and #SAT for quantized networks: CNF encodings (own adder networks, python-sat
cardinality constraints), projected model counting with pyganak, soundness of the
paper's embedding constructions for all teachers at once, and minimal teachers.

>>> from enumerate import NetworkSpec
>>> from proofs.sat import sat_count
>>> sat_count(NetworkSpec.parse("fc:2,1,1", "-1,0,1", "sign", "01"), "---+").count
2
"""

from .circuit import BitVec, Choice, Circuit
from .count import SatCount, enumerate_settings, projected_count, sat_count
from .encode import NetworkEncoding, encode

__all__ = [
    "BitVec",
    "Choice",
    "Circuit",
    "NetworkEncoding",
    "SatCount",
    "encode",
    "enumerate_settings",
    "projected_count",
    "sat_count",
]
