//! A quantile sketch of waiting times (DDSketch, Masson, Rim and Lee, VLDB 2019): what Baton keeps
//! of the waits on an edge, so that any quantile, and the share of cases waiting longer than a
//! limit, can be answered without keeping the waits.
//!
//! A wait of `x` seconds (`x > 0`) is counted in bucket `ceil(ln(x) / ln(γ))`, with
//! `γ = (1 + α) / (1 - α)` and a relative accuracy `α` of 1 %: every quantile it answers is within
//! 1 % of a true value of that rank. Waits of 0 seconds (two events at one instant) are counted
//! apart. Buckets only count, so two sketches of disjoint parts of a log merge by adding counts, in
//! any order, into the same sketch, byte for byte in its text form; a SQL engine computes the same
//! buckets with `CEIL(LN(x) / LN(γ))`.

use std::collections::BTreeMap;

/// The relative accuracy.
pub const ALPHA: f64 = 0.01;

/// `γ = (1 + α) / (1 - α)`.
pub fn gamma() -> f64 {
    (1.0 + ALPHA) / (1.0 - ALPHA)
}

/// The bucket of a wait of `seconds` (> 0).
pub fn bucket(seconds: f64) -> i32 {
    (seconds.ln() / gamma().ln()).ceil() as i32
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sketch {
    /// Waits of 0 seconds (or less: clocks that disagree).
    pub zeros: u64,
    /// Bucket index → waits in it.
    pub buckets: BTreeMap<i32, u64>,
}

impl Sketch {
    pub fn add(&mut self, seconds: f64) {
        if seconds > 0.0 && seconds.is_finite() {
            *self.buckets.entry(bucket(seconds)).or_default() += 1;
        } else {
            self.zeros += 1;
        }
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &Sketch) {
        self.zeros += other.zeros;
        for (b, n) in &other.buckets {
            *self.buckets.entry(*b).or_default() += n;
        }
    }

    pub fn count(&self) -> u64 {
        self.zeros + self.buckets.values().sum::<u64>()
    }

    /// The wait at quantile `q` (0 to 1), in seconds: of the wait of rank `q × (n − 1)` (lower),
    /// the representative value of its bucket, `2γ^i / (γ + 1)`. `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = (q.clamp(0.0, 1.0) * (n - 1) as f64).floor() as u64;
        if rank < self.zeros {
            return Some(0.0);
        }
        let mut seen = self.zeros;
        let g = gamma();
        for (b, c) in &self.buckets {
            seen += c;
            if seen > rank {
                return Some(2.0 * g.powi(*b) / (g + 1.0));
            }
        }
        None
    }

    /// How many waits were longer than `seconds`: those in buckets wholly above it. A bucket
    /// holding `seconds` itself is counted as not longer, so the count errs low by at most the
    /// waits within 2 % of the limit.
    pub fn above(&self, seconds: f64) -> u64 {
        if seconds <= 0.0 {
            return self.buckets.values().sum();
        }
        let limit = bucket(seconds);
        self.buckets.range(limit + 1..).map(|(_, n)| n).sum()
    }

    /// The share of waits longer than `seconds` (0 when empty).
    pub fn share_above(&self, seconds: f64) -> f64 {
        let n = self.count();
        if n == 0 { 0.0 } else { self.above(seconds) as f64 / n as f64 }
    }

    /// The text form kept in projects and bundles: `0:ZEROS` then `BUCKET:COUNT` in bucket order,
    /// separated by spaces, e.g. `0:2 562:10 563:4`; empty buckets are left out.
    pub fn to_text(&self) -> String {
        let mut out = format!("0:{}", self.zeros);
        for (b, n) in self.buckets.iter().filter(|(_, n)| **n > 0) {
            out.push_str(&format!(" {b}:{n}"));
        }
        out
    }

    /// Reads `to_text`'s form; the error says what is wrong. The first pair is the zero count
    /// (written `0:N`): bucket 0 holds waits of up to 1 second, never written first, so the forms
    /// do not collide.
    pub fn parse(text: &str) -> Result<Sketch, String> {
        let mut sketch = Sketch::default();
        for (i, pair) in text.split_whitespace().enumerate() {
            let (b, n) =
                pair.split_once(':').ok_or_else(|| format!("{pair:?} is not BUCKET:COUNT (e.g. 562:10)"))?;
            let n: u64 = n.parse().map_err(|_| format!("{pair:?}: the count is not a whole number"))?;
            let b: i32 = b.parse().map_err(|_| format!("{pair:?}: the bucket is not a whole number"))?;
            if !(-4000..=4000).contains(&b) {
                return Err(format!("{pair:?}: bucket {b} is outside the waits a log can hold"));
            }
            if i == 0 {
                if b != 0 {
                    return Err(format!("{pair:?}: the first pair is the count of zero waits, 0:N"));
                }
                sketch.zeros = n;
            } else {
                *sketch.buckets.entry(b).or_default() += n;
            }
        }
        Ok(sketch)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn of(values: &[f64]) -> Sketch {
        let mut s = Sketch::default();
        for v in values {
            s.add(*v);
        }
        s
    }

    #[test]
    fn quantiles_are_within_the_relative_accuracy() {
        let values: Vec<f64> = (1..=10_000).map(|i| (i as f64).powf(1.7)).collect();
        let s = of(&values);
        for q in [0.0, 0.1, 0.5, 0.9, 0.95, 0.99, 1.0] {
            let exact = values[(q * (values.len() - 1) as f64).floor() as usize];
            let got = s.quantile(q).unwrap();
            assert!((got - exact).abs() <= ALPHA * exact * 1.0001, "q {q}: {got} against {exact}");
        }
    }

    #[test]
    fn merging_adds_counts_in_any_order_to_the_same_text() {
        let a = of(&[0.0, 3.0, 240.0, 7200.0]);
        let b = of(&[240.0, 86_400.0, 0.5]);
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(&b);
        ba.merge(&a);
        assert_eq!(ab.to_text(), ba.to_text());
        assert_eq!(ab, of(&[0.0, 3.0, 240.0, 7200.0, 240.0, 86_400.0, 0.5]));
        assert_eq!(Sketch::parse(&ab.to_text()).unwrap(), ab);
    }

    #[test]
    fn the_tail_beyond_a_limit_is_counted() {
        // 91 waits of 4 minutes and 9 of 3 hours: 9 % wait longer than 2 hours.
        let mut values = vec![240.0; 91];
        values.extend([3.0 * 3600.0; 9]);
        let s = of(&values);
        assert!((s.share_above(7200.0) - 0.09).abs() < 1e-9);
        assert_eq!(s.above(240.0), 9, "waits at the limit are not above it");
        assert!((s.quantile(0.5).unwrap() - 240.0).abs() < 2.4);
    }

    #[test]
    fn a_bad_text_says_what_is_wrong() {
        assert!(Sketch::parse("0:1 x").unwrap_err().contains("BUCKET:COUNT"));
        assert!(Sketch::parse("5:1").unwrap_err().contains("zero waits"));
        assert!(Sketch::parse("0:1 99999:1").unwrap_err().contains("outside"));
        assert_eq!(Sketch::parse("").unwrap(), Sketch::default());
    }
}
