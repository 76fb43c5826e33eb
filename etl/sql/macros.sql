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

-- Period codes as publishers write them (statistics.gov.scot DateCode, CPOP year labels):
-- '2019' (a year), '2019/20' or '2019/2020' (a financial or school year, labelled '2019/20',
-- year 2019, population year 2019), '2017-2019' (several years, labelled as written, year 2019,
-- population years 2017 to 2019).
CREATE OR REPLACE MACRO period_label_of(d) AS
    CASE WHEN substr(d, 5, 1) = '/' THEN printf('%s/%02d', substr(d, 1, 4), CAST(substr(d, 6) AS INTEGER) % 100)
         ELSE d END;
CREATE OR REPLACE MACRO period_first_year_of(d) AS CAST(substr(d, 1, 4) AS INTEGER);
CREATE OR REPLACE MACRO period_year_of(d) AS
    CASE WHEN substr(d, 5, 1) = '-' THEN CAST(substr(d, 6, 4) AS INTEGER) ELSE CAST(substr(d, 1, 4) AS INTEGER) END;

-- Complementary suppression (etl/sql/disclosure/family_states.sql, exposed_group_cells.sql):
-- does hiding a visible part with count n (and, for a percentage, complement c) lift an
-- equation's hidden part (counts s, complements sc; `unknown` of them unknown at source) to
-- min_count m? And, where no single part does, how much does it lift it (the part that lifts
-- it most is hidden)?
CREATE OR REPLACE MACRO lifts_hidden_part(unknown, s, sc, n, c, m, is_percentage) AS
    unknown > 0 OR (s + n >= m AND (NOT is_percentage OR sc + c >= m));
CREATE OR REPLACE MACRO hidden_part_lift(n, c) AS least(n, coalesce(c, n));

-- The normal quantiles of the two confidence levels: the same numbers as etl.stats.levels.Z95
-- and Z998 (tests/sql/test_macros.py checks they are equal), so Python and SQL share one z.
CREATE OR REPLACE MACRO z95() AS 1.959963984540054::DOUBLE;
CREATE OR REPLACE MACRO z998() AS 3.090232306167813::DOUBLE;

-- Is a value different from another estimate with its own uncertainty (the same area in the
-- baseline year)? A test of the difference: each 95 % interval gives a standard error
-- SE = (upper - lower) / (2 z95), the difference is judged against sqrt(SE1^2 + SE2^2), and it
-- is significant when |difference| / that > z (z95() or z998()). Returns -1 (significantly
-- lower), 0 (not), 1 (significantly higher), NULL when an input is missing. Asking only whether
-- the area's interval excludes the other value treats that value as exact: with two equally
-- precise estimates it calls 17 % of chance differences significant at "95 %" (issue 17).
-- The same rule as etl.stats.compare.compare_difference.
CREATE OR REPLACE MACRO difference_direction(value, lower, upper, other, other_lower, other_upper, z) AS
    CASE
        WHEN value IS NULL OR lower IS NULL OR upper IS NULL OR other IS NULL OR other_lower IS NULL
             OR other_upper IS NULL THEN NULL
        WHEN pow((upper - lower), 2) + pow((other_upper - other_lower), 2) = 0 THEN sign(value - other)
        WHEN abs(value - other) > z * sqrt(pow((upper - lower) / (2 * z95()), 2)
                                           + pow((other_upper - other_lower) / (2 * z95()), 2))
            THEN sign(value - other)
        ELSE 0
    END;
