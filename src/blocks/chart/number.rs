//! Numbers of a chart or a table: reading a value as written (`0.12`, `"$0.12"`, `"45ms"`,
//! `"1,200"`, `"-3%"`) and writing values back with their unit, thousands separators and one
//! number of decimals for the whole chart, so that `$0.00` and `$0.12` line up.
//!
//! Pure functions, no layout: the chart and table blocks call them while parsing (to check and
//! type the values) and while drawing (to label them).

use std::fmt::Write as _;

/// Most decimals a chart shows; more are rounded away (a phone shows `0.123`, not `0.1234567`).
pub const MAX_DECIMALS: u8 = 3;
/// Largest magnitude a value may have: beyond it a chart's labels would be digits, not numbers.
pub const MAX_MAGNITUDE: f64 = 1e15;
/// Longest unit, in characters (`req/s`, `GB`, `USD`, `users/day`).
pub const MAX_UNIT_CHARS: usize = 12;

/// Currency signs written before the number.
const CURRENCIES: &[char] = &['$', '€', '£', '¥', '₹', '₩', '₽'];

/// Where a unit is written, and whether a space separates it from the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// No unit.
    None,
    /// Before the number, tight: `$0.12`.
    Prefix(String),
    /// After the number, tight: `87%`, `3x`.
    Tight(String),
    /// After the number, after a no-break space: `45 ms`, `12 req/s`.
    Spaced(String),
}

impl Unit {
    /// The unit as a deck writes it in `unit:`: a currency sign goes before the number, `%`, `x`
    /// and `×` right after it, anything else after a space. Blank means no unit.
    pub fn parse(text: &str) -> Unit {
        let text = text.trim();
        if text.is_empty() {
            Unit::None
        } else if text.chars().all(|c| CURRENCIES.contains(&c)) {
            Unit::Prefix(text.to_string())
        } else if matches!(text, "%" | "x" | "×" | "‰" | "°") {
            Unit::Tight(text.to_string())
        } else {
            Unit::Spaced(text.to_string())
        }
    }

    /// The unit's own text (`$`, `ms`), empty for none.
    pub fn text(&self) -> &str {
        match self {
            Unit::None => "",
            Unit::Prefix(t) | Unit::Tight(t) | Unit::Spaced(t) => t,
        }
    }

    /// Whether there is a unit.
    pub fn is_some(&self) -> bool {
        *self != Unit::None
    }
}

/// A number as a deck wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// Its value.
    pub value: f64,
    /// Its unit, when it was written with one (`"45ms"`).
    pub unit: Unit,
    /// Digits written after the decimal point.
    pub decimals: u8,
}

/// Why a text is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotANumber {
    /// No digits, or something other than a sign, a currency, digits and a unit.
    Malformed,
    /// Beyond [`MAX_MAGNITUDE`].
    TooLarge,
    /// A unit longer than [`MAX_UNIT_CHARS`].
    LongUnit,
}

/// Reads a number with an optional sign, currency and unit: `0.12`, `-3`, `$0.12`, `-$5`,
/// `1,200`, `45ms`, `45 ms`, `87%`, `12 req/s`, `−4` (a true minus). Thousands separators are
/// commas or underscores; the decimal separator is a point.
pub fn parse(text: &str) -> Result<Written, NotANumber> {
    let mut rest = text.trim();
    let mut negative = false;
    let mut signed = false;
    let mut prefix = String::new();
    // Sign and currency in either order: `-$5` and `$-5`.
    while let Some(c) = rest.chars().next() {
        if matches!(c, '-' | '−' | '+') && !signed {
            signed = true;
            negative = c != '+';
        } else if CURRENCIES.contains(&c) && prefix.is_empty() {
            prefix.push(c);
        } else {
            break;
        }
        rest = rest[c.len_utf8()..].trim_start();
    }
    let end = rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '_'))).unwrap_or(rest.len());
    let (digits, suffix) = rest.split_at(end);
    if !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') || !digits.chars().any(|c| c.is_ascii_digit()) {
        return Err(NotANumber::Malformed);
    }
    // A comma groups thousands: it must sit between digits, in the whole part.
    let whole = digits.split('.').next().unwrap_or_default();
    if digits.matches('.').count() > 1 || digits.ends_with([',', '_']) || whole.contains(",,") {
        return Err(NotANumber::Malformed);
    }
    if digits.split('.').nth(1).is_some_and(|fraction| fraction.contains([',', '_'])) {
        return Err(NotANumber::Malformed);
    }
    let decimals = digits.split('.').nth(1).map_or(0, str::len);
    let plain = digits.replace([',', '_'], "");
    let magnitude: f64 = plain.parse().map_err(|_| NotANumber::Malformed)?;
    if !magnitude.is_finite() || magnitude > MAX_MAGNITUDE {
        return Err(NotANumber::TooLarge);
    }
    let suffix_text = suffix.trim();
    if suffix_text.chars().count() > MAX_UNIT_CHARS {
        return Err(NotANumber::LongUnit);
    }
    // One word: `req/s`, not `requests per second` (the caption says the rest).
    if suffix_text.chars().any(|c| c.is_ascii_digit() || c.is_control() || c.is_whitespace()) {
        return Err(NotANumber::Malformed);
    }
    let unit = match (prefix.is_empty(), suffix_text.is_empty()) {
        (true, true) => Unit::None,
        (false, true) => Unit::Prefix(prefix),
        (true, false) => Unit::parse(suffix_text),
        // `$5 USD` says it twice.
        (false, false) => return Err(NotANumber::Malformed),
    };
    Ok(Written {
        value: if negative { -magnitude } else { magnitude },
        unit,
        decimals: decimals.min(u8::MAX as usize) as u8,
    })
}

/// How every value of one chart is written: one unit, one number of decimals, one scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Format {
    /// The unit of every value.
    pub unit: Unit,
    /// Digits after the point, for every value alike.
    pub decimals: u8,
    /// A divisor and its suffix for large numbers (`1.2M`); (1, "") for none.
    pub scale: (f64, &'static str),
}

impl Format {
    /// The format of a chart whose values were written with at most `decimals` decimals: values
    /// of a million or more are written in millions (`1.2M`) or billions, all alike.
    pub fn for_values(values: &[f64], decimals: u8, unit: Unit) -> Format {
        let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let written = decimals.min(MAX_DECIMALS);
        // Money has two decimals or none: `$120.50`, `$120`, never `$120.5`.
        let money = matches!(&unit, Unit::Prefix(p) if p.chars().any(|c| "$€£¥₹₩₽₺₪¢".contains(c)));
        let written = if money && written == 1 { 2 } else { written };
        // In millions or billions, the fewest decimals (up to two) that keep every value readable:
        // no nonzero value drawn as zero (`0.0M` beside `1.0M`), no two values drawn alike. A
        // series no scale can write so is written in full.
        for scale in [(1e9, "B"), (1e6, "M")] {
            if largest < scale.0 {
                continue;
            }
            let mut choices: Vec<u8> = (0..=2).collect();
            if money {
                choices = vec![0, 2];
            }
            for decimals in choices {
                let format = Format { unit: unit.clone(), decimals, scale };
                if format.tells_apart(values) {
                    return format;
                }
            }
        }
        Format { unit, decimals: written, scale: (1.0, "") }
    }

    /// Whether every nonzero value reads as nonzero and different values read differently.
    fn tells_apart(&self, values: &[f64]) -> bool {
        let mut seen: Vec<(String, f64)> = Vec::new();
        for &value in values {
            let text = self.format(value);
            if value != 0.0 && !text.chars().any(|c| matches!(c, '1'..='9')) {
                return false;
            }
            // Rounded by at most 5%: `2B` for 2.5 billion would lie.
            let factor = 10f64.powi(i32::from(self.decimals));
            let shown = (value / self.scale.0 * factor).round() / factor * self.scale.0;
            if value != 0.0 && ((shown - value) / value).abs() > 0.05 {
                return false;
            }
            if seen.iter().any(|(t, v)| *t == text && *v != value) {
                return false;
            }
            seen.push((text, value));
        }
        true
    }

    /// `value` written with the unit: `$0.12`, `−$5.00`, `45 ms`, `1,200`, `87%`, `1.2M`.
    pub fn format(&self, value: f64) -> String {
        let scaled = value / self.scale.0;
        let mut digits = format!("{:.*}", self.decimals as usize, scaled.abs());
        // A value that rounds to zero is zero, not "−0.00".
        let negative = scaled < 0.0 && digits.chars().any(|c| matches!(c, '1'..='9'));
        if let Some(point) = digits.find('.').or(Some(digits.len())) {
            let (whole, fraction) = digits.split_at(point);
            digits = format!("{}{fraction}", group_thousands(whole));
        }
        digits.push_str(self.scale.1);
        let mut out = String::new();
        if negative {
            out.push('−');
        }
        match &self.unit {
            Unit::None => out.push_str(&digits),
            Unit::Prefix(p) => {
                let _ = write!(out, "{p}{digits}");
            }
            Unit::Tight(t) => {
                let _ = write!(out, "{digits}{t}");
            }
            Unit::Spaced(t) => {
                let _ = write!(out, "{digits}\u{a0}{t}");
            }
        }
        out
    }
}

/// `1234567` -> `1,234,567`.
fn group_thousands(whole: &str) -> String {
    let len = whole.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> (f64, Unit, u8) {
        let w = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        (w.value, w.unit, w.decimals)
    }

    #[test]
    fn reads_numbers_as_decks_write_them() {
        assert_eq!(written("0.12"), (0.12, Unit::None, 2));
        assert_eq!(written("$0.12"), (0.12, Unit::Prefix("$".into()), 2));
        assert_eq!(written("-$5"), (-5.0, Unit::Prefix("$".into()), 0));
        assert_eq!(written("$-5"), (-5.0, Unit::Prefix("$".into()), 0));
        assert_eq!(written("−4"), (-4.0, Unit::None, 0));
        assert_eq!(written("+4"), (4.0, Unit::None, 0));
        assert_eq!(written("45ms"), (45.0, Unit::Spaced("ms".into()), 0));
        assert_eq!(written(" 45 ms "), (45.0, Unit::Spaced("ms".into()), 0));
        assert_eq!(written("87%"), (87.0, Unit::Tight("%".into()), 0));
        assert_eq!(written("1,200"), (1200.0, Unit::None, 0));
        assert_eq!(written("12 req/s"), (12.0, Unit::Spaced("req/s".into()), 0));
        assert_eq!(written(".5"), (0.5, Unit::None, 1));
    }

    #[test]
    fn refuses_what_is_not_one_number() {
        for text in ["", "fast", "$", "1.2.3", "12 34", "1,", "$5 USD", "5ms2", "1.5,0", "--5", "abc5"] {
            assert_eq!(parse(text), Err(NotANumber::Malformed), "{text:?}");
        }
        assert_eq!(parse("1e300"), Err(NotANumber::Malformed), "exponents are not how decks write numbers");
        assert_eq!(parse("9999999999999999"), Err(NotANumber::TooLarge));
        assert_eq!(parse("5 requests per second"), Err(NotANumber::LongUnit));
        assert_eq!(parse("5 req per s"), Err(NotANumber::Malformed), "a unit is one word");
    }

    #[test]
    fn units_from_the_unit_key_go_where_readers_expect() {
        assert_eq!(Unit::parse("$"), Unit::Prefix("$".into()));
        assert_eq!(Unit::parse("%"), Unit::Tight("%".into()));
        assert_eq!(Unit::parse(" ms "), Unit::Spaced("ms".into()));
        assert_eq!(Unit::parse(""), Unit::None);
    }

    #[test]
    fn one_chart_writes_its_values_alike() {
        let dollars = Format::for_values(&[0.0, 0.12, 0.0, 0.03], 2, Unit::Prefix("$".into()));
        let labels: Vec<String> = [0.0, 0.12, 0.0, 0.03].iter().map(|v| dollars.format(*v)).collect();
        assert_eq!(labels, ["$0.00", "$0.12", "$0.00", "$0.03"]);
        let ms = Format::for_values(&[100.0, 45.0], 0, Unit::Spaced("ms".into()));
        assert_eq!(ms.format(45.0), "45\u{a0}ms");
        let percent = Format::for_values(&[87.0, 12.5], 1, Unit::Tight("%".into()));
        assert_eq!((percent.format(87.0), percent.format(12.5)), ("87.0%".into(), "12.5%".into()));
    }

    #[test]
    fn every_value_of_a_series_reads() {
        // A 3 beside a million is not drawn as zero: the series is written in full.
        let wide = Format::for_values(&[1_000_000.0, 3.0], 0, Unit::None);
        assert_eq!((wide.format(1_000_000.0), wide.format(3.0)), ("1,000,000".into(), "3".into()));
        // Values a decimal would merge get a second one.
        let close = Format::for_values(&[1_240_000.0, 1_210_000.0], 0, Unit::None);
        assert_eq!((close.format(1_240_000.0), close.format(1_210_000.0)), ("1.24M".into(), "1.21M".into()));
        let billions = Format::for_values(&[2.5e9, 1e9], 0, Unit::None);
        assert_eq!(billions.format(2.5e9), "2.5B");
        // Money: two decimals or none.
        let money = Format::for_values(&[-120.0, 40.5], 1, Unit::Prefix("$".into()));
        assert_eq!((money.format(-120.0), money.format(40.5)), ("−$120.00".into(), "$40.50".into()));
        let round = Format::for_values(&[3_000_000.0, 1_500_000.0], 0, Unit::Prefix("€".into()));
        assert_eq!(round.format(1_500_000.0), "€1.50M", "money in millions: two decimals, not one");
    }

    #[test]
    fn thousands_negatives_and_large_numbers() {
        let plain = Format::for_values(&[1_234_567.0 / 10.0], 0, Unit::None);
        assert_eq!(plain.format(123_457.0), "123,457");
        assert_eq!(plain.format(1_000.0), "1,000");
        assert_eq!(plain.format(999.0), "999");
        assert_eq!(plain.format(-1_500.0), "−1,500");
        assert_eq!(plain.format(-0.0001), "0", "a value that rounds to zero has no sign");
        let money = Format::for_values(&[-5.0, 3.0], 2, Unit::Prefix("$".into()));
        assert_eq!(money.format(-5.0), "−$5.00");
        let millions = Format::for_values(&[1_200_000.0, 300_000.0], 0, Unit::None);
        assert_eq!((millions.format(1_200_000.0), millions.format(300_000.0)), ("1.2M".into(), "0.3M".into()));
        let whole = Format::for_values(&[2e9, 1e9], 0, Unit::Prefix("$".into()));
        assert_eq!(whole.format(2e9), "$2B");
        let many = Format::for_values(&[1.0], 9, Unit::None);
        assert_eq!(many.format(1.0 / 3.0), "0.333", "at most three decimals");
    }
}
