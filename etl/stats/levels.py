"""The normal quantiles of the two confidence levels, the one copy Python and SQL share.

Why: Python used z = 1.96 and the SQL 1.959964; a difference in the sixth figure is harmless
but two constants drift. The build defines the SQL macros ``z95()`` and ``z998()`` from these
(``etl/sql/macros.sql`` is rendered with them), and ``tests/unit/stats`` checks they equal
Φ⁻¹(0.975) and Φ⁻¹(0.999).
"""

from __future__ import annotations

#: Φ⁻¹(0.975): two-sided 95 % (the usual "1.96")
Z95 = 1.959963984540054
#: Φ⁻¹(0.999): two-sided 99.8 %
Z998 = 3.090232306167813
