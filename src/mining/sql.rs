//! The query that computes a log's mergeable aggregate (`partial`) inside a warehouse, for logs
//! too big to leave it or whose rows may not leave the hospital (`baton sql`).
//!
//! The query reads one table (or view) with a row per event and returns the rows of the aggregate
//! file: counts, sums of waits and sketch buckets per facility, and every variant with the
//! smallest salted hash of its cases. Case ids are hashed in the query with the project's salt.
//! Within a case, events are ordered by time, then by the order column when one is named (an
//! event id or load sequence: a table has no file order), then by activity.

use crate::error::{Error, Result};
use crate::model::sketch;

use super::partial::{FORMAT_VERSION, salt_fingerprint_prefix};

/// The SQL dialects `baton sql` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB; the same text runs in DataFusion.
    Duckdb,
    /// Spark SQL (Databricks).
    Spark,
    /// Microsoft SQL Server (Clarity, Caboodle).
    Tsql,
    Snowflake,
}

impl Dialect {
    pub const ALL: [Dialect; 4] = [Dialect::Duckdb, Dialect::Spark, Dialect::Tsql, Dialect::Snowflake];

    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Duckdb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::Tsql => "tsql",
            Dialect::Snowflake => "snowflake",
        }
    }

    pub fn parse(name: &str) -> Result<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.as_str().eq_ignore_ascii_case(name.trim())).ok_or_else(|| {
            Error::invalid(
                "dialect",
                format!("unknown SQL dialect {name:?}: use duckdb, spark, tsql or snowflake"),
            )
        })
    }

    fn title(self) -> &'static str {
        match self {
            Dialect::Duckdb => "DuckDB (also runs in DataFusion)",
            Dialect::Spark => "Spark SQL (Databricks)",
            Dialect::Tsql => "T-SQL (SQL Server; Clarity and Caboodle)",
            Dialect::Snowflake => "Snowflake",
        }
    }

    fn text(self) -> &'static str {
        match self {
            Dialect::Duckdb | Dialect::Snowflake => "VARCHAR",
            Dialect::Spark => "STRING",
            Dialect::Tsql => "NVARCHAR(4000)",
        }
    }

    fn double(self) -> &'static str {
        match self {
            Dialect::Tsql => "FLOAT",
            _ => "DOUBLE",
        }
    }

    fn ln(self) -> &'static str {
        if self == Dialect::Tsql { "LOG" } else { "LN" }
    }

    fn ceil(self) -> &'static str {
        if self == Dialect::Tsql { "CEILING" } else { "CEIL" }
    }

    fn count(self) -> &'static str {
        if self == Dialect::Tsql { "COUNT_BIG(*)" } else { "COUNT(*)" }
    }

    /// Microseconds since 1970 (UTC) of a timestamp or timestamp text; zone-less values are read
    /// in the session's zone (UTC unless set otherwise).
    fn micros(self, x: &str) -> String {
        match self {
            Dialect::Duckdb => {
                format!("CAST(ROUND(date_part('epoch', CAST({x} AS TIMESTAMPTZ)) * 1000000) AS BIGINT)")
            }
            Dialect::Spark => format!("unix_micros(CAST({x} AS TIMESTAMP))"),
            Dialect::Tsql => format!(
                "DATEDIFF_BIG(microsecond, CAST('1970-01-01T00:00:00+00:00' AS DATETIMEOFFSET), CAST({x} AS DATETIMEOFFSET))"
            ),
            Dialect::Snowflake => format!("DATE_PART(epoch_microsecond, TO_TIMESTAMP_TZ({x}))"),
        }
    }

    /// SHA-256 of a text, as hex digits (DataFusion: as bytes, which it exports as hex).
    fn sha256(self, x: &str) -> String {
        match self {
            Dialect::Duckdb => format!("sha256({x})"),
            Dialect::Spark => format!("sha2({x}, 256)"),
            Dialect::Tsql => {
                format!("CONVERT(CHAR(64), HASHBYTES('SHA2_256', CAST({x} AS VARCHAR(8000))), 2)")
            }
            Dialect::Snowflake => format!("SHA2({x}, 256)"),
        }
    }

    /// A case's activities in order, joined by U+001F.
    fn joined(self, activity: &str, order: &str) -> String {
        match self {
            Dialect::Duckdb => format!("string_agg({activity}, chr(31) ORDER BY {order})"),
            Dialect::Spark => format!(
                "concat_ws(chr(31), transform(array_sort(collect_list(struct({order}, {activity}))), x -> x.{activity}))"
            ),
            Dialect::Tsql => format!(
                "STRING_AGG(CAST({activity} AS NVARCHAR(MAX)), NCHAR(31)) WITHIN GROUP (ORDER BY {order})"
            ),
            Dialect::Snowflake => format!("LISTAGG({activity}, CHR(31)) WITHIN GROUP (ORDER BY {order})"),
        }
    }

    /// A name as an identifier: as it is when it is a plain one, else quoted.
    fn ident(self, name: &str) -> String {
        let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !RESERVED.contains(&name.to_ascii_lowercase().as_str());
        if plain {
            return name.to_string();
        }
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            Dialect::Tsql => format!("[{}]", name.replace(']', "]]")),
            Dialect::Duckdb | Dialect::Snowflake => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }
}

/// Words that are quoted when they name a column (SQL keywords that event-log columns are often
/// called).
const RESERVED: [&str; 24] = [
    "case",
    "end",
    "start",
    "order",
    "group",
    "role",
    "user",
    "time",
    "timestamp",
    "date",
    "from",
    "to",
    "select",
    "where",
    "table",
    "key",
    "value",
    "values",
    "status",
    "event",
    "action",
    "type",
    "level",
    "position",
];

/// What the query reads: the table and its columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SqlSource {
    /// A table or view, optionally qualified (`db.schema.table`).
    pub table: String,
    pub case: String,
    pub activity: String,
    pub timestamp: String,
    pub role: Option<String>,
    pub facility: Option<String>,
    /// A column that orders events of one case at the same time (an event id, a load sequence).
    pub order: Option<String>,
}

fn check_name(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() || name.chars().any(char::is_control) || name.len() > 128 {
        return Err(Error::invalid(
            what,
            format!("{name:?} is not a column or table name (1 to 128 characters, no control characters)"),
        ));
    }
    Ok(())
}

/// The query, in `dialect`, hashing case ids with `salt` (the project's, from `--salt-from`).
pub fn query(dialect: Dialect, source: &SqlSource, salt: &str) -> Result<String> {
    if salt.is_empty() || !salt.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid("salt", "the salt must be letters and digits"));
    }
    check_name("table", &source.table)?;
    let table = source
        .table
        .split('.')
        .map(|part| {
            check_name("table", part)?;
            Ok(dialect.ident(part.trim()))
        })
        .collect::<Result<Vec<_>>>()?
        .join(".");
    let mut columns =
        vec![("case", &source.case), ("activity", &source.activity), ("timestamp", &source.timestamp)];
    for (what, c) in [("role", &source.role), ("facility", &source.facility), ("order column", &source.order)]
    {
        if let Some(c) = c {
            columns.push((what, c));
        }
    }
    for (what, c) in &columns {
        check_name(what, c)?;
    }
    let d = dialect;
    let text = d.text();
    let col = |c: &str| d.ident(c);
    let name = |c: &Option<String>| match c {
        Some(c) => format!("NULLIF(TRIM(CAST({} AS {text})), '')", col(c)),
        None => format!("CAST(NULL AS {text})"),
    };
    let order = match &source.order {
        Some(o) => format!("t, {}, a", col(o)),
        None => "t, a".to_string(),
    };
    let null_text = format!("CAST(NULL AS {text})");
    let null_int = "CAST(NULL AS INTEGER)".to_string();
    let null_dec = "CAST(NULL AS DECIMAL(38,0))".to_string();
    let count = d.count();
    let gamma = format!("{:?}", sketch::gamma());
    let salt_lit = format!("'{salt}'");
    let hash_case = d.sha256(&format!("CONCAT({salt_lit}, c)"));
    let fingerprint = d.sha256(&format!("CONCAT('{}', {salt_lit})", salt_fingerprint_prefix()));
    // One SELECT of the final union: kind, facility, activity, next_activity, role, bucket, count,
    // total_us, example.
    let row = |kind: &str, cols: [&str; 8], rest: &str| {
        format!(
            "SELECT '{kind}' AS kind, {} AS facility, {} AS activity, {} AS next_activity, {} AS role, {} AS bucket, {} AS {}, {} AS total_us, {} AS example{rest}",
            cols[0],
            cols[1],
            cols[2],
            cols[3],
            cols[4],
            cols[5],
            d.ident("count"),
            cols[6],
            cols[7]
        )
    };
    let nt = null_text.as_str();
    let ni = null_int.as_str();
    let nd = null_dec.as_str();
    let one = format!("CAST({FORMAT_VERSION} AS BIGINT)");
    let first = "CAST(MIN(t) AS DECIMAL(38,0))";
    let last = "CAST(MAX(t) AS DECIMAL(38,0))";
    let total = "SUM(CAST(w AS DECIMAL(38,0)))".to_string();
    let ln = d.ln();
    let ceil = d.ceil();
    let dbl = d.double();
    let bucket = format!(
        "CASE WHEN w > 0 THEN CAST({ceil}({ln}(CAST(w AS {dbl}) / CAST(1000000 AS {dbl})) / {ln}(CAST({gamma} AS {dbl}))) AS INTEGER) END"
    );
    let parts = [
        row("aggregate", [nt, nt, nt, nt, ni, &one, nd, &fingerprint], ""),
        row("first", [nt, nt, nt, nt, ni, "CAST(NULL AS BIGINT)", first, nt], " FROM e"),
        row("last", [nt, nt, nt, nt, ni, "CAST(NULL AS BIGINT)", last, nt], " FROM e"),
        row("activity", ["cf", "a", nt, nt, ni, count, nd, nt], " FROM e GROUP BY cf, a"),
        row("start", ["cf", "a", nt, nt, ni, count, nd, nt], " FROM e WHERE i = 1 GROUP BY cf, a"),
        row("end", ["cf", "a", nt, nt, ni, count, nd, nt], " FROM e WHERE i = n GROUP BY cf, a"),
        row("role", ["cf", "a", nt, "r", ni, count, nd, nt], " FROM e GROUP BY cf, a, r"),
        row(
            "edge",
            ["cf", "a", "b", nt, ni, count, &total, nt],
            " FROM e WHERE b IS NOT NULL GROUP BY cf, a, b",
        ),
        row(
            "wait",
            ["cf", "a", "b", nt, "k", count, nd, nt],
            &format!(
                " FROM (SELECT cf, a, b, {bucket} AS k FROM e WHERE b IS NOT NULL) waits GROUP BY cf, a, b, k"
            ),
        ),
        row("variant", ["cf", "v", nt, nt, ni, count, nd, "MIN(h)"], " FROM cases GROUP BY cf, v"),
    ];
    let described: Vec<String> = columns.iter().map(|(what, c)| format!("{what} = {c}")).collect();
    let mut out = String::new();
    out.push_str(&format!(
        "-- Baton log aggregate (format {FORMAT_VERSION}), {}.\n\
         -- Reads {} ({}).\n\
         -- Returns one row per fact: counts of activities, start and end activities and roles per facility;\n\
         -- directly-follows edges with the sum of their waits (microseconds) and their waits counted in\n\
         -- logarithmic buckets (CEIL(LN(seconds) / LN({gamma}))); every variant with the smallest salted\n\
         -- hash of its cases. Case ids are hashed here with the project's salt and never returned.\n\
         -- Within a case, events are ordered by time{}, then activity. Rows without a case, an activity\n\
         -- or a time are left out.\n\
         -- Export the result as CSV or JSON, then: baton import aggregate PROJECT.baton RESULT.csv\n",
        d.title(),
        source.table,
        described.join(", "),
        source.order.as_ref().map(|o| format!(", then {o}")).unwrap_or_default(),
    ));
    out.push_str(&format!(
        "WITH ev AS (\n  SELECT {} AS c, {} AS a, {} AS r, {} AS f, {} AS t{}\n  FROM {table}\n),\n",
        name(&Some(source.case.clone())),
        name(&Some(source.activity.clone())),
        name(&source.role),
        name(&source.facility),
        d.micros(&col(&source.timestamp)),
        source.order.as_ref().map(|o| format!(", {}", col(o))).unwrap_or_default(),
    ));
    out.push_str(&format!(
        "ordered AS (\n  SELECT c, a, r, f, t, ROW_NUMBER() OVER (PARTITION BY c ORDER BY {order}) AS i\n  FROM ev WHERE c IS NOT NULL AND a IS NOT NULL AND t IS NOT NULL\n),\n"
    ));
    out.push_str(
        "steps AS (\n  SELECT c, a, r, f, t, i,\n    LEAD(a) OVER (PARTITION BY c ORDER BY i) AS b,\n    LEAD(t) OVER (PARTITION BY c ORDER BY i) - t AS w,\n",
    );
    out.push_str(&format!("    {} OVER (PARTITION BY c) AS n\n  FROM ordered\n),\n", count));
    out.push_str(
        "site AS (\n  SELECT c, f AS cf FROM (\n    SELECT c, f, ROW_NUMBER() OVER (PARTITION BY c ORDER BY i) AS k FROM ordered WHERE f IS NOT NULL\n  ) named WHERE k = 1\n),\n",
    );
    out.push_str(
        "e AS (\n  SELECT s.c, s.a, s.r, s.t, s.i, s.b, s.w, s.n, site.cf\n  FROM steps s LEFT JOIN site ON site.c = s.c\n),\n",
    );
    out.push_str(&format!(
        "cases AS (\n  SELECT cf, {} AS v, {hash_case} AS h\n  FROM e GROUP BY c, cf\n)\n",
        d.joined("a", "i")
    ));
    out.push_str(&parts.join("\nUNION ALL\n"));
    out.push_str(if d == Dialect::Tsql { ";\n" } else { "\n" });
    Ok(out)
}
