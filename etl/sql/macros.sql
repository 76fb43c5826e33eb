-- Statistical macros used by the marts. Each formula is documented in docs/methods.md and
-- tested against published figures in tests/sql/test_macros.py.

-- Wilson score interval for a proportion x/n, returned on the 0-1 scale.
CREATE OR REPLACE MACRO wilson_lower(x, n, z) AS
    CASE WHEN n > 0 THEN (2 * x + z * z - z * sqrt(z * z + 4 * x * (1 - x / n))) / (2 * (n + z * z)) END;
CREATE OR REPLACE MACRO wilson_upper(x, n, z) AS
    CASE WHEN n > 0 THEN (2 * x + z * z + z * sqrt(z * z + 4 * x * (1 - x / n))) / (2 * (n + z * z)) END;

-- Byar's approximation to the Poisson limits of an observed count o (o >= 10).
CREATE OR REPLACE MACRO byar_lower_count(o, z) AS
    CASE WHEN o > 0 THEN o * pow(1 - 1 / (9 * o) - z / (3 * sqrt(o)), 3) ELSE 0 END;
CREATE OR REPLACE MACRO byar_upper_count(o, z) AS
    (o + 1) * pow(1 - 1 / (9 * (o + 1)) + z / (3 * sqrt(o + 1)), 3);
