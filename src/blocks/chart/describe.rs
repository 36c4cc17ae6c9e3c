//! The alt text of a chart: what a screen reader says instead of the picture.
//!
//! One sentence that names the chart and what it measures, lists every point with its value as
//! drawn, and says what the picture shows at a glance: the highest (and, where it matters, the
//! lowest) value, a tight axis, the highlighted point. Pure: it takes the labels and the values
//! already written with the chart's [`super::number::Format`].

/// One point as the reader hears it.
#[derive(Debug, Clone, PartialEq)]
pub struct Said<'a> {
    /// The label.
    pub label: &'a str,
    /// The value as drawn (`$0.12`).
    pub text: String,
    /// The value, for comparing.
    pub value: f64,
}

/// "Column chart of cost per day: Day 1 $0.00, Day 2 $0.12; Day 2 highest at $0.12."
///
/// `kind` is "bar", "column" or "line"; `what` is the caption, when the chart has one; `axis_from`
/// is the start of a tight axis, written with the unit.
pub fn describe(
    kind: &str,
    what: Option<&str>,
    points: &[Said],
    highlight: Option<usize>,
    axis_from: Option<&str>,
) -> String {
    let mut out = String::new();
    let mut chars = kind.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
    out.push_str(" chart");
    if let Some(what) = what.map(str::trim).filter(|w| !w.is_empty()) {
        out.push_str(" of ");
        out.push_str(what.trim_end_matches(['.', ':']));
    }
    out.push_str(": ");
    let listed: Vec<String> = points.iter().map(|p| format!("{} {}", p.label.trim(), p.text)).collect();
    out.push_str(&listed.join(", "));
    let mut notes = Vec::new();
    let max = points.iter().map(|p| p.value).fold(f64::NEG_INFINITY, f64::max);
    let min = points.iter().map(|p| p.value).fold(f64::INFINITY, f64::min);
    if points.len() > 1 && max == min {
        notes.push(format!("all at {}", points[0].text));
    } else if let (Some(high), Some(low)) =
        (points.iter().position(|p| p.value == max), points.iter().position(|p| p.value == min))
    {
        notes.push(format!("{} highest at {}", names(points, max), points[high].text));
        if kind == "line" || min < 0.0 {
            notes.push(format!("{} lowest at {}", names(points, min), points[low].text));
        }
    }
    if let Some(from) = axis_from {
        notes.push(format!("the axis starts at {from}, not zero"));
    }
    if let Some(point) = highlight.and_then(|h| points.get(h)) {
        let alone_highest = point.value == max && points.iter().filter(|p| p.value == max).count() == 1;
        if !alone_highest || max == min {
            notes.push(format!("{} highlighted", point.label.trim()));
        }
    }
    for note in notes {
        out.push_str("; ");
        out.push_str(&note);
    }
    out.push('.');
    out
}

/// The labels of the points at `value`: "Day 2", "Day 1 and Day 3", "Mon, Tue and Wed".
fn names(points: &[Said], value: f64) -> String {
    let at: Vec<&str> = points.iter().filter(|p| p.value == value).map(|p| p.label.trim()).collect();
    match at.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said<'a>(points: &[(&'a str, &str, f64)]) -> Vec<Said<'a>> {
        points.iter().map(|(label, text, value)| Said { label, text: text.to_string(), value: *value }).collect()
    }

    #[test]
    fn names_the_chart_lists_the_points_and_the_highest() {
        let points = said(&[
            ("Day 1", "$0.00", 0.0),
            ("Day 2", "$0.12", 0.12),
            ("Day 3", "$0.00", 0.0),
            ("Day 4", "$0.03", 0.03),
        ]);
        assert_eq!(
            describe("column", Some("cost per day"), &points, Some(1), None),
            "Column chart of cost per day: Day 1 $0.00, Day 2 $0.12, Day 3 $0.00, Day 4 $0.03; Day 2 highest at $0.12."
        );
    }

    #[test]
    fn says_ties_lows_tight_axes_and_highlights() {
        let points = said(&[("Mon", "250 ms", 250.0), ("Tue", "290 ms", 290.0), ("Wed", "290 ms", 290.0)]);
        assert_eq!(
            describe("line", None, &points, Some(0), Some("240 ms")),
            "Line chart: Mon 250 ms, Tue 290 ms, Wed 290 ms; Tue and Wed highest at 290 ms; Mon lowest at 250 ms; \
             the axis starts at 240 ms, not zero; Mon highlighted."
        );
        let flat = said(&[("A", "0", 0.0), ("B", "0", 0.0)]);
        assert_eq!(describe("bar", Some("errors:"), &flat, None, None), "Bar chart of errors: A 0, B 0; all at 0.");
        let signed = said(&[("Q1", "−5", -5.0), ("Q2", "3", 3.0)]);
        assert_eq!(
            describe("bar", None, &signed, None, None),
            "Bar chart: Q1 −5, Q2 3; Q2 highest at 3; Q1 lowest at −5."
        );
    }
}
