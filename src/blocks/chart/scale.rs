//! Scales of a chart: which stretch of values its axis spans, and where a value sits on it.
//!
//! Bars and columns always start at zero (their length is the value); the stretch holds zero and
//! every value, so negative values hang from the same zero line as positive ones. A line chart
//! whose values all sit far from zero may use a tight range instead, on round bounds, which the
//! chart then labels (a line that starts at 200 ms must say so). All-zero data gets a unit
//! stretch, so that nothing is divided by zero and every bar is drawn at zero length.
//!
//! Pure functions: the chart block calls them with the parsed values.

/// The values a chart's axis spans.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    /// The bottom (or left) of the axis.
    pub lo: f64,
    /// The top (or right) of the axis; always above `lo`.
    pub hi: f64,
    /// Whether the axis leaves zero out (a line chart's tight range), so the chart must say so.
    pub tight: bool,
}

impl Domain {
    /// From zero: holds zero and every value. All-zero (or no) data spans 0 to 1.
    pub fn from_zero(values: &[f64]) -> Domain {
        let lo = values.iter().copied().fold(0.0f64, f64::min);
        let hi = values.iter().copied().fold(0.0f64, f64::max);
        if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1.0) {
            return Domain { lo: 0.0, hi: 1.0, tight: false };
        }
        Domain { lo, hi, tight: false }
    }

    /// For a line: from zero, unless every value is on one side of zero and zero would squash
    /// the line into less than half the height (the values' spread is under half their
    /// largest); then round bounds just around the values.
    pub fn for_line(values: &[f64]) -> Domain {
        let zero = Domain::from_zero(values);
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !(min.is_finite() && max.is_finite()) || max <= min {
            return zero;
        }
        let squashed = if min > 0.0 { min > max * 0.5 } else { max < 0.0 && max < min * 0.5 };
        if !squashed {
            return zero;
        }
        let (lo, hi, _) = nice_bounds(min, max, 4);
        // Round bounds that reach zero are no tighter than zero itself.
        if lo <= 0.0 && hi >= 0.0 {
            return zero;
        }
        Domain { lo, hi, tight: true }
    }

    /// Where `value` sits: 0 at `lo`, 1 at `hi`.
    pub fn at(&self, value: f64) -> f64 {
        (value - self.lo) / (self.hi - self.lo)
    }

    /// Where the bars start: zero, or the axis end nearest to it on a tight axis.
    pub fn base(&self) -> f64 {
        self.at(0.0f64.clamp(self.lo, self.hi))
    }

    /// The value where the bars start.
    pub fn base_value(&self) -> f64 {
        0.0f64.clamp(self.lo, self.hi)
    }
}

/// A round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` into at most `ticks`
/// parts; 1 for an empty or invalid span.
pub fn nice_step(span: f64, ticks: u32) -> f64 {
    if !(span.is_finite() && span > 0.0) || ticks == 0 {
        return 1.0;
    }
    let raw = span / ticks as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let normalized = raw / magnitude;
    let factor = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().find(|f| *f >= normalized - 1e-9).unwrap_or(10.0);
    factor * magnitude
}

/// Round bounds around `lo..=hi` on a [`nice_step`] of at most `ticks` parts: (low, high, step).
pub fn nice_bounds(lo: f64, hi: f64, ticks: u32) -> (f64, f64, f64) {
    let step = nice_step(hi - lo, ticks);
    let low = (lo / step).floor() * step;
    let high = (hi / step).ceil() * step;
    if high > low {
        (low, high, step)
    } else {
        (low, low + step, step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_start_at_zero_and_hold_every_value() {
        let d = Domain::from_zero(&[0.0, 0.12, 0.0, 0.03]);
        assert_eq!((d.lo, d.hi, d.tight), (0.0, 0.12, false));
        assert_eq!(d.at(0.12), 1.0);
        assert_eq!(d.base(), 0.0);
        let d = Domain::from_zero(&[40.0, 60.0]);
        assert_eq!((d.lo, d.at(40.0)), (0.0, 40.0 / 60.0), "positive data still starts at zero");
    }

    #[test]
    fn negative_values_hang_from_the_same_zero() {
        let d = Domain::from_zero(&[-5.0, 15.0]);
        assert_eq!((d.lo, d.hi), (-5.0, 15.0));
        assert_eq!(d.base(), 0.25);
        assert_eq!(d.at(-5.0), 0.0);
        let all_negative = Domain::from_zero(&[-3.0, -1.0]);
        assert_eq!((all_negative.lo, all_negative.hi, all_negative.base()), (-3.0, 0.0, 1.0));
    }

    #[test]
    fn all_zero_data_is_not_divided_by_zero() {
        for values in [&[0.0, 0.0][..], &[][..], &[-0.0, 0.0][..]] {
            let d = Domain::from_zero(values);
            assert_eq!((d.lo, d.hi), (0.0, 1.0));
            assert_eq!(d.at(0.0), 0.0);
            assert!(d.at(0.0).is_finite());
        }
        let flat = Domain::for_line(&[5.0, 5.0, 5.0]);
        assert_eq!((flat.lo, flat.hi, flat.tight), (0.0, 5.0, false), "a flat line is drawn from zero");
    }

    #[test]
    fn a_squashed_line_gets_a_tight_labelled_range() {
        let d = Domain::for_line(&[245.0, 260.0, 251.0, 290.0]);
        assert!(d.tight);
        assert_eq!((d.lo, d.hi), (240.0, 300.0));
        let spread = Domain::for_line(&[20.0, 100.0, 45.0]);
        assert!(!spread.tight, "values spread over more than half the range keep zero");
        assert_eq!(spread.lo, 0.0);
        let negative = Domain::for_line(&[-90.0, -100.0]);
        assert!(negative.tight);
        assert!(negative.hi < 0.0 && negative.lo <= -100.0);
        assert_eq!(negative.base(), 1.0, "bars of a tight negative axis start at its top");
        let crossing = Domain::for_line(&[-1.0, 4.0]);
        assert!(!crossing.tight);
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(60.0, 4), 20.0);
        assert_eq!(nice_step(45.0, 4), 20.0);
        assert_eq!(nice_step(10.0, 4), 2.5);
        assert!((nice_step(0.12, 4) - 0.05).abs() < 1e-12);
        assert_eq!(nice_step(0.0, 4), 1.0);
        assert_eq!(nice_step(f64::NAN, 4), 1.0);
        assert_eq!(nice_bounds(245.0, 290.0, 4), (240.0, 300.0, 20.0));
        assert_eq!(nice_bounds(7.0, 7.0, 4), (7.0, 8.0, 1.0));
    }
}
