//! Guards: conditions on a transition over the event's fields and the case's attributes.
//!
//! The language is small on purpose: comparisons of a field with a value or another field
//! (`==`, `!=`, `<`, `<=`, `>`, `>=`), joined by `&&` and `||`, negated with `!`, grouped with
//! parentheses; a boolean field may stand alone. Strings are in double quotes, numbers are
//! decimal, `true` and `false` are booleans. Parsing is done by the `evalexpr` crate; this module
//! accepts only the part of its language above, checks the types against the event's declared
//! fields and the case attributes, and writes the guard in each orchestrator's expression
//! language (FEEL for Camunda, jq for Serverless Workflow, ECMAScript for SCXML and XState).

use std::collections::BTreeMap;

use evalexpr::{Node, Operator, Value};

use crate::model::FieldKind;

/// Attributes every case has, besides the fields of the event that fires the transition.
pub const CASE_ATTRIBUTES: [(&str, FieldKind); 2] =
    [("facility", FieldKind::String), ("role", FieldKind::String)];

/// A parsed and type-checked guard.
#[derive(Debug, Clone, PartialEq)]
pub enum Guard {
    And(Box<Guard>, Box<Guard>),
    Or(Box<Guard>, Box<Guard>),
    Not(Box<Guard>),
    Compare(Compare, Operand, Operand),
    /// A boolean field on its own.
    Field(String),
    Constant(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Compare {
    fn symbol(self) -> &'static str {
        match self {
            Compare::Eq => "==",
            Compare::Ne => "!=",
            Compare::Lt => "<",
            Compare::Le => "<=",
            Compare::Gt => ">",
            Compare::Ge => ">=",
        }
    }

    /// The same comparison with its sides swapped (`3 < x` is `x > 3`).
    fn flipped(self) -> Compare {
        match self {
            Compare::Lt => Compare::Gt,
            Compare::Le => Compare::Ge,
            Compare::Gt => Compare::Lt,
            Compare::Ge => Compare::Le,
            other => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Field(String),
    Number(f64),
    Text(String),
    Bool(bool),
}

/// The names and types a guard may use.
pub type Scope = BTreeMap<String, FieldKind>;

/// The scope of a transition on an event with these fields.
pub fn scope(event_fields: &[crate::model::EventField]) -> Scope {
    let mut scope: Scope = CASE_ATTRIBUTES.iter().map(|(n, k)| ((*n).to_string(), *k)).collect();
    for f in event_fields {
        scope.insert(f.name.clone(), f.kind);
    }
    scope
}

/// Parses and type-checks `text` in `scope`; the error is a sentence for the consultant.
pub fn parse(text: &str, scope: &Scope) -> Result<Guard, String> {
    let tree: Node =
        evalexpr::build_operator_tree(text).map_err(|e| format!("cannot read the guard: {e}"))?;
    let guard = convert(&tree)?;
    check(&guard, scope)?;
    Ok(guard)
}

const ALLOWED: &str = "use comparisons of fields with values (==, !=, <, <=, >, >=) joined by &&, || and !";

fn convert(node: &Node) -> Result<Guard, String> {
    let children = node.children();
    let one = |i: usize| children.get(i).ok_or_else(|| "an operator lacks an operand".to_string());
    match node.operator() {
        Operator::RootNode if children.len() == 1 => convert(one(0)?),
        Operator::RootNode if children.is_empty() => Err("the guard is empty".into()),
        Operator::And => Ok(Guard::And(Box::new(convert(one(0)?)?), Box::new(convert(one(1)?)?))),
        Operator::Or => Ok(Guard::Or(Box::new(convert(one(0)?)?), Box::new(convert(one(1)?)?))),
        Operator::Not => Ok(Guard::Not(Box::new(convert(one(0)?)?))),
        Operator::Eq | Operator::Neq | Operator::Lt | Operator::Leq | Operator::Gt | Operator::Geq => {
            let op = match node.operator() {
                Operator::Eq => Compare::Eq,
                Operator::Neq => Compare::Ne,
                Operator::Lt => Compare::Lt,
                Operator::Leq => Compare::Le,
                Operator::Gt => Compare::Gt,
                _ => Compare::Ge,
            };
            Ok(Guard::Compare(op, operand(one(0)?)?, operand(one(1)?)?))
        }
        Operator::VariableIdentifierRead { identifier } => Ok(Guard::Field(identifier.clone())),
        Operator::Const { value: Value::Boolean(b) } => Ok(Guard::Constant(*b)),
        other => Err(format!("{} is not allowed in a guard: {ALLOWED}", operator_name(other))),
    }
}

/// An operator as the consultant typed it.
fn operator_name(op: &Operator) -> String {
    let symbol = match op {
        Operator::Add => "+",
        Operator::Sub | Operator::Neg => "-",
        Operator::Mul => "*",
        Operator::Div => "/",
        Operator::Mod => "%",
        Operator::Exp => "^",
        Operator::Tuple => ",",
        Operator::Chain => ";",
        Operator::FunctionIdentifier { identifier } => return format!("the function {identifier}()"),
        Operator::Const { value } => return format!("the value {value} on its own"),
        Operator::Assign
        | Operator::AddAssign
        | Operator::SubAssign
        | Operator::MulAssign
        | Operator::DivAssign
        | Operator::ModAssign
        | Operator::ExpAssign
        | Operator::AndAssign
        | Operator::OrAssign => "assignment (use == to compare)",
        _ => "this operator",
    };
    format!("“{symbol}”")
}

fn operand(node: &Node) -> Result<Operand, String> {
    match node.operator() {
        Operator::RootNode if node.children().len() == 1 => operand(&node.children()[0]),
        Operator::VariableIdentifierRead { identifier } => Ok(Operand::Field(identifier.clone())),
        Operator::Const { value: Value::Int(i) } => Ok(Operand::Number(*i as f64)),
        Operator::Const { value: Value::Float(f) } => Ok(Operand::Number(*f)),
        Operator::Const { value: Value::String(s) } => Ok(Operand::Text(s.clone())),
        Operator::Const { value: Value::Boolean(b) } => Ok(Operand::Bool(*b)),
        Operator::Neg => match node.children().first().map(operand) {
            Some(Ok(Operand::Number(n))) => Ok(Operand::Number(-n)),
            _ => Err(format!("only numbers can be negative: {ALLOWED}")),
        },
        other => Err(format!("{} is not allowed in a guard: {ALLOWED}", operator_name(other))),
    }
}

fn kind_of(o: &Operand, scope: &Scope) -> Result<FieldKind, String> {
    match o {
        Operand::Field(name) => scope.get(name).copied().ok_or_else(|| {
            let known: Vec<&str> = scope.keys().map(String::as_str).collect();
            format!("unknown field {name:?}: the event and case have {}", known.join(", "))
        }),
        Operand::Number(_) => Ok(FieldKind::Number),
        Operand::Text(_) => Ok(FieldKind::String),
        Operand::Bool(_) => Ok(FieldKind::Boolean),
    }
}

fn check(g: &Guard, scope: &Scope) -> Result<(), String> {
    match g {
        Guard::And(a, b) | Guard::Or(a, b) => check(a, scope).and_then(|()| check(b, scope)),
        Guard::Not(a) => check(a, scope),
        Guard::Constant(_) => Ok(()),
        Guard::Field(name) => match kind_of(&Operand::Field(name.clone()), scope)? {
            FieldKind::Boolean => Ok(()),
            k => Err(format!("{name} is a {}, not a boolean: compare it with a value", k.as_str())),
        },
        Guard::Compare(op, a, b) => {
            let (ka, kb) = (kind_of(a, scope)?, kind_of(b, scope)?);
            if ka != kb {
                return Err(format!(
                    "{} compares a {} with a {}",
                    render(g, Dialect::Baton),
                    ka.as_str(),
                    kb.as_str()
                ));
            }
            if ka != FieldKind::Number && !matches!(op, Compare::Eq | Compare::Ne) {
                return Err(format!(
                    "{} orders {}s: only numbers can use < <= > >=",
                    render(g, Dialect::Baton),
                    ka.as_str()
                ));
            }
            Ok(())
        }
    }
}

/// The expression languages a guard is written in. Every rendering means what `holds` means
/// (docs/semantics.md, Guards): a comparison whose sides are missing, `null` or of another type is
/// false, `!=` included; `!` negates a comparison's answer; a boolean field alone holds only when
/// it is `true`; `facility` is the case's, every other field the event's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Baton's own, as the consultant typed it (normalized).
    Baton,
    /// FEEL, for Camunda 8 (`=` prefix not included): the event's fields are under the variable
    /// `event`, which every message sets whole (so no field of an earlier event is read), and
    /// `facility` is the variable the instance starts with.
    Feel,
    /// jq, for Serverless Workflow runtime expressions over the consumed CloudEvent (fields
    /// under `.data`); `facility` is the workflow input's (`$workflow.input.facility`).
    Jq,
    /// ECMAScript for XState, over `event.data` (the event's fields) and `context.facility`.
    EcmaScript,
    /// ECMAScript for SCXML, over `_event.data` and the datamodel's `facility`.
    Scxml,
    /// FHIRPath, for the FHIR PlanDefinition's conditions, over `%event` (the event's fields) and
    /// `%facility`. A comparison is written `iif(type test, comparison, false)`: FHIRPath's `and`
    /// evaluates both sides, and comparing values of two types is an error there.
    FhirPath,
}

fn is_case_attribute(name: &str) -> bool {
    name == "facility"
}

fn literal(o: &Operand, d: Dialect) -> String {
    match o {
        Operand::Field(name) if is_case_attribute(name) => match d {
            Dialect::Jq => format!("$workflow.input.{name}"),
            Dialect::FhirPath => format!("%{name}"),
            Dialect::EcmaScript => format!("context.{name}"),
            _ => name.clone(),
        },
        Operand::Field(name) => match d {
            Dialect::Jq => format!(".data.{name}"),
            Dialect::EcmaScript => format!("event.data?.{name}"),
            Dialect::Scxml => format!("_event.data.{name}"),
            Dialect::FhirPath => format!("%event.{name}"),
            Dialect::Feel => format!("event.{name}"),
            _ => name.clone(),
        },
        Operand::Number(n) => format_number(*n),
        Operand::Text(s) => match d {
            Dialect::EcmaScript | Dialect::Scxml | Dialect::FhirPath => {
                format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
            }
            _ => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
        },
        Operand::Bool(b) => b.to_string(),
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// The type a literal operand has, by name in each dialect's type test.
fn literal_kind(o: &Operand) -> Option<FieldKind> {
    match o {
        Operand::Field(_) => None,
        Operand::Number(_) => Some(FieldKind::Number),
        Operand::Text(_) => Some(FieldKind::String),
        Operand::Bool(_) => Some(FieldKind::Boolean),
    }
}

/// `x` has type `kind`, in dialect `d`.
fn has_type(x: &str, kind: FieldKind, d: Dialect) -> String {
    let name = kind.as_str();
    match d {
        // `instance of` is not implemented alike by every FEEL engine; these tests are standard
        // FEEL, false (never null) for a missing value or another type, in feelin and in Zeebe.
        Dialect::Feel => match kind {
            FieldKind::Number => format!("(abs({x}) >= 0) = true"),
            FieldKind::String => format!("(string length({x}) >= 0) = true"),
            FieldKind::Boolean => format!("({x} = true or {x} = false) = true"),
        },
        Dialect::Jq => format!("({x} | type) == \"{name}\""),
        Dialect::FhirPath => match kind {
            FieldKind::Number => format!("({x}.is(Integer) or {x}.is(Decimal))"),
            FieldKind::String => format!("{x}.is(String)"),
            FieldKind::Boolean => format!("{x}.is(Boolean)"),
        },
        _ => format!("typeof {x} === '{name}'"),
    }
}

/// The condition under which comparing `a` with `b` is defined: both present, of one type.
fn comparable(a: &Operand, b: &Operand, d: Dialect) -> String {
    let (x, y) = (literal(a, d), literal(b, d));
    match (literal_kind(a), literal_kind(b)) {
        (None, Some(k)) => has_type(&x, k, d),
        (Some(k), None) => has_type(&y, k, d),
        (Some(_), Some(_)) => "true".to_string(),
        (None, None) => {
            let same = |k| {
                format!(
                    "({} {} {})",
                    has_type(&x, k, d),
                    if matches!(d, Dialect::Feel | Dialect::Jq | Dialect::FhirPath) { "and" } else { "&&" },
                    has_type(&y, k, d)
                )
            };
            let each: Vec<String> =
                [FieldKind::Number, FieldKind::String, FieldKind::Boolean].into_iter().map(same).collect();
            format!(
                "({})",
                each.join(if matches!(d, Dialect::Feel | Dialect::Jq | Dialect::FhirPath) {
                    " or "
                } else {
                    " || "
                })
            )
        }
    }
}

/// The guard written in `dialect`, fully parenthesized where operators mix.
pub fn render(g: &Guard, d: Dialect) -> String {
    let (and, or) = match d {
        Dialect::Feel | Dialect::Jq | Dialect::FhirPath => (" and ", " or "),
        _ => (" && ", " || "),
    };
    let group = |inner: &Guard| match inner {
        Guard::And(..) | Guard::Or(..) => format!("({})", render(inner, d)),
        _ => render(inner, d),
    };
    match g {
        Guard::And(a, b) => format!("{}{and}{}", group(a), group(b)),
        Guard::Or(a, b) => format!("{}{or}{}", group(a), group(b)),
        Guard::Not(a) => match d {
            Dialect::Feel => format!("not({})", render(a, d)),
            Dialect::Jq => format!("({} | not)", render(a, d)),
            Dialect::FhirPath => format!("({}).not()", render(a, d)),
            _ => format!("!({})", render(a, d)),
        },
        Guard::Field(name) => {
            let x = literal(&Operand::Field(name.clone()), d);
            match d {
                Dialect::Baton => x,
                Dialect::Feel => format!("(({x} = true) = true)"),
                Dialect::Jq => format!("({x} == true)"),
                Dialect::FhirPath => format!("iif({x}.is(Boolean), {x} = true, false)"),
                _ => format!("({x} === true)"),
            }
        }
        Guard::Constant(b) => b.to_string(),
        // The field first (`92 > spo2` is `spo2 < 92`): some FEEL engines read a literal on
        // the left as the start of a range.
        Guard::Compare(op, a, b)
            if d != Dialect::Baton && literal_kind(a).is_some() && literal_kind(b).is_none() =>
        {
            render(&Guard::Compare(op.flipped(), b.clone(), a.clone()), d)
        }
        Guard::Compare(op, a, b) => {
            let symbol = match (d, op) {
                (Dialect::Feel, Compare::Eq) => "=",
                (Dialect::EcmaScript | Dialect::Scxml, Compare::Eq) => "===",
                (Dialect::EcmaScript | Dialect::Scxml, Compare::Ne) => "!==",
                (Dialect::FhirPath, Compare::Eq) => "=",
                _ => op.symbol(),
            };
            let comparison = format!("{} {symbol} {}", literal(a, d), literal(b, d));
            if d == Dialect::Baton {
                comparison
            } else if d == Dialect::FhirPath {
                format!("iif({}, {comparison}, false)", comparable(a, b, d))
            } else {
                format!("({}{and}{comparison})", comparable(a, b, d))
            }
        }
    }
}

/// A value of a case or event attribute, for evaluating guards (replay).
#[derive(Debug, Clone, PartialEq)]
pub enum Datum {
    Number(f64),
    Text(String),
    Bool(bool),
}

/// Whether the guard holds for these values; a comparison with a missing value is false.
pub fn holds(g: &Guard, data: &BTreeMap<String, Datum>) -> bool {
    let value = |o: &Operand| -> Option<Datum> {
        match o {
            Operand::Field(n) => data.get(n).cloned(),
            Operand::Number(n) => Some(Datum::Number(*n)),
            Operand::Text(s) => Some(Datum::Text(s.clone())),
            Operand::Bool(b) => Some(Datum::Bool(*b)),
        }
    };
    match g {
        Guard::And(a, b) => holds(a, data) && holds(b, data),
        Guard::Or(a, b) => holds(a, data) || holds(b, data),
        Guard::Not(a) => !holds(a, data),
        Guard::Constant(b) => *b,
        Guard::Field(n) => matches!(data.get(n), Some(Datum::Bool(true))),
        Guard::Compare(op, a, b) => {
            let (Some(x), Some(y)) = (value(a), value(b)) else { return false };
            let ordering = match (&x, &y) {
                (Datum::Number(p), Datum::Number(q)) => p.partial_cmp(q),
                (Datum::Text(p), Datum::Text(q)) => Some(p.cmp(q)),
                (Datum::Bool(p), Datum::Bool(q)) => Some(p.cmp(q)),
                _ => None,
            };
            let Some(o) = ordering else { return false };
            match op {
                Compare::Eq => o.is_eq(),
                Compare::Ne => o.is_ne(),
                Compare::Lt => o.is_lt(),
                Compare::Le => o.is_le(),
                Compare::Gt => o.is_gt(),
                Compare::Ge => o.is_ge(),
            }
        }
    }
}

/// What a guard's top-level conjunction says about one field.
#[derive(Debug, Clone, Default)]
struct Constraint {
    /// Lower bound and whether it is included.
    low: Option<(f64, bool)>,
    high: Option<(f64, bool)>,
    equals: Option<String>,
    differs: Vec<String>,
}

fn conjuncts<'g>(g: &'g Guard, out: &mut Vec<&'g Guard>) {
    match g {
        Guard::And(a, b) => {
            conjuncts(a, out);
            conjuncts(b, out);
        }
        other => out.push(other),
    }
}

fn constraints(g: &Guard) -> BTreeMap<String, Constraint> {
    let mut parts = Vec::new();
    conjuncts(g, &mut parts);
    let mut out: BTreeMap<String, Constraint> = BTreeMap::new();
    for part in parts {
        let (field, op, value) = match part {
            Guard::Compare(op, Operand::Field(f), v) if !matches!(v, Operand::Field(_)) => (f, *op, v),
            Guard::Compare(op, v, Operand::Field(f)) if !matches!(v, Operand::Field(_)) => {
                (f, op.flipped(), v)
            }
            Guard::Field(f) => (f, Compare::Eq, &Operand::Bool(true)),
            _ => continue,
        };
        let c = out.entry(field.clone()).or_default();
        match (value, op) {
            (Operand::Number(n), Compare::Eq) => {
                tighten(&mut c.low, (*n, true), true);
                tighten(&mut c.high, (*n, true), false);
            }
            (Operand::Number(n), Compare::Gt) => tighten(&mut c.low, (*n, false), true),
            (Operand::Number(n), Compare::Ge) => tighten(&mut c.low, (*n, true), true),
            (Operand::Number(n), Compare::Lt) => tighten(&mut c.high, (*n, false), false),
            (Operand::Number(n), Compare::Le) => tighten(&mut c.high, (*n, true), false),
            (Operand::Text(_) | Operand::Bool(_), Compare::Eq) => {
                c.equals = Some(literal(value, Dialect::Baton))
            }
            (Operand::Text(_) | Operand::Bool(_), Compare::Ne) => {
                c.differs.push(literal(value, Dialect::Baton))
            }
            _ => {}
        }
    }
    out
}

/// Keeps the tighter of two bounds (`lower`: the larger low bound, else the smaller high one).
fn tighten(slot: &mut Option<(f64, bool)>, new: (f64, bool), lower: bool) {
    *slot = Some(match *slot {
        None => new,
        Some(old) if old.0 == new.0 => (old.0, old.1 && new.1),
        Some(old) if (new.0 > old.0) == lower => new,
        Some(old) => old,
    });
}

fn disjoint(a: &Constraint, b: &Constraint) -> bool {
    if let (Some(x), Some(y)) = (&a.equals, &b.equals)
        && x != y
    {
        return true;
    }
    if a.equals.as_ref().is_some_and(|x| b.differs.contains(x))
        || b.equals.as_ref().is_some_and(|y| a.differs.contains(y))
    {
        return true;
    }
    let low = match (a.low, b.low) {
        (Some(p), Some(q)) if p.0 == q.0 => Some((p.0, p.1 && q.1)),
        (Some(p), Some(q)) => Some(if p.0 > q.0 { p } else { q }),
        (p, q) => p.or(q),
    };
    let high = match (a.high, b.high) {
        (Some(p), Some(q)) if p.0 == q.0 => Some((p.0, p.1 && q.1)),
        (Some(p), Some(q)) => Some(if p.0 < q.0 { p } else { q }),
        (p, q) => p.or(q),
    };
    match (low, high) {
        (Some(l), Some(h)) => l.0 > h.0 || (l.0 == h.0 && !(l.1 && h.1)),
        _ => false,
    }
}

/// Whether two guards can both hold for some case: `false` only when both constrain one field
/// to ranges or values that do not meet (an empty guard always holds).
pub fn may_overlap(a: Option<&Guard>, b: Option<&Guard>) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return true };
    let (ca, cb) = (constraints(a), constraints(b));
    !ca.iter().any(|(field, x)| cb.get(field).is_some_and(|y| disjoint(x, y)))
}
