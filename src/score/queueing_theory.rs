//! Analytic M/M/c results (Erlang C): the yardstick the triage desk is validated
//! against, and what a report can show beside simulated waits.

/// Steady-state measures of an M/M/c queue; times in the unit of 1/`lambda`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangC {
    pub rho: f64,
    pub p_wait: f64,
    pub wq: f64,
    pub w: f64,
    pub lq: f64,
    pub l: f64,
}

/// Erlang C for arrival rate `lambda`, service rate `mu` per server and `c`
/// servers, through the numerically stable Erlang B recursion
/// (B_0 = 1, B_k = a B_{k-1} / (k + a B_{k-1}), a = lambda/mu), then
/// C = c B / (c - a (1 - B)) and Wq = C / (c mu - lambda). `None` when the queue
/// is unstable (rho >= 1) or a parameter is not positive.
pub fn erlang_c(lambda: f64, mu: f64, c: u32) -> Option<ErlangC> {
    let a = lambda / mu;
    let rho = a / f64::from(c);
    if !(lambda > 0.0 && mu > 0.0 && c > 0 && rho < 1.0) {
        return None;
    }
    let b = (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b));
    let p_wait = f64::from(c) * b / (f64::from(c) - a * (1.0 - b));
    let wq = p_wait / (f64::from(c) * mu - lambda);
    let w = wq + 1.0 / mu;
    Some(ErlangC { rho, p_wait, wq, w, lq: lambda * wq, l: lambda * w })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference table of shared/bench/README.md.
    #[test]
    fn matches_the_reference_table() {
        for (lambda, mu, c, p_wait, wq) in [
            (4.0, 1.0, 5, 0.554113, 0.554113),
            (9.0, 1.0, 10, 0.668732, 0.668732),
            (0.5, 0.2, 3, 0.702247, 7.022472),
            (30.0, 1.0, 33, 0.490488, 0.163496),
        ] {
            let r = erlang_c(lambda, mu, c).unwrap();
            assert!((r.p_wait - p_wait).abs() < 1e-6, "{lambda} {mu} {c}: {r:?}");
            assert!((r.wq - wq).abs() < 1e-6, "{lambda} {mu} {c}: {r:?}");
        }
        assert_eq!(erlang_c(10.0, 1.0, 10), None);
    }
}
