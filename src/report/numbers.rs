//! Numbers as a reader wants them: costs with thousands separators and their
//! currency, durations to the minute.

use crate::scenario::Scenario;

/// "9,170,263": whole units with a comma every three digits.
pub fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < -0.5 { format!("-{out}") } else { out }
}

/// A cost in the scenario's currency: "USD 8,525", or "8,525" without one.
pub fn money(scenario: &Scenario, x: f64) -> String {
    if scenario.currency.is_empty() { thousands(x) } else { format!("{} {}", scenario.currency, thousands(x)) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_separated() {
        assert_eq!(super::thousands(9_170_263.4), "9,170,263");
        assert_eq!(super::thousands(999.0), "999");
        assert_eq!(super::thousands(1_000.0), "1,000");
        assert_eq!(super::thousands(-12_345.0), "-12,345");
        assert_eq!(super::thousands(0.0), "0");
    }
}
