// Every number the schema rules compare against, named, with where it comes from. Change them here, not in rules.

/** Below this many rows a missing index or key costs little: a sequential scan of a few pages is cheap. */
export const SMALL_TABLE_ROWS = 10_000;
/** From this many rows a missing index or key is a production problem (scans take seconds, rewrites take minutes). */
export const LARGE_TABLE_ROWS = 1_000_000;
/** When rows are unknown, sizes stand in for them: 1 MB is ~125 heap pages, 1 GB is where rewrites hurt. */
export const SMALL_TABLE_BYTES = 1024 * 1024;
export const LARGE_TABLE_BYTES = 1024 * 1024 * 1024;

/** An index this large is worth a warning when it is unused or duplicated: it costs I/O on every write and in memory. */
export const LARGE_INDEX_BYTES = 10 * 1024 * 1024;
/** A duplicate this large is critical: it doubles write amplification on a big relation. */
export const HUGE_INDEX_BYTES = 1024 * 1024 * 1024;

/**
 * Staleness mirrors autovacuum's own trigger (autovacuum_analyze_threshold = 50 rows plus
 * autovacuum_analyze_scale_factor = 0.1 of the table, PostgreSQL defaults), doubled: when modifications pass twice what
 * should have triggered an autoanalyze, autovacuum is falling behind or disabled for the table.
 */
export const ANALYZE_BASE_THRESHOLD = 50;
export const ANALYZE_SCALE_FACTOR = 0.1;
export const STALE_MULTIPLIER = 2;

/** Share of the key type's maximum a sequence may reach before we warn, and before it is critical. */
export const KEY_OVERFLOW_WARNING_SHARE = 0.5;
export const KEY_OVERFLOW_CRITICAL_SHARE = 0.8;
/** Maximum values of the integer types a sequence-backed key may have (PostgreSQL docs, "Numeric Types"). */
export const INTEGER_TYPE_MAX: Readonly<Record<string, number>> = { smallint: 32_767, integer: 2_147_483_647 };

/** A table this wide is worth a look (info), and this wide usually mixes entities (warning). PostgreSQL allows 1,600. */
export const WIDE_TABLE_COLUMNS = 50;
export const VERY_WIDE_TABLE_COLUMNS = 100;

/** PostgreSQL truncates identifiers to NAMEDATALEN - 1 = 63 bytes. */
export const MAX_IDENTIFIER_BYTES = 63;
