//! The `chart` block: a few numbers drawn to scale, every value labelled on its mark.
//!
//! `{type: bar | column | line, data: [{label, value}], unit?, highlight?, caption?}`. Owns the
//! chart's typed data, its parsing (values written as numbers or as text with their unit, one
//! unit per chart, a highlight that must name a point) and its drawing at the measure of the
//! slot: horizontal bars with their labels beside them (or above them when the labels are long),
//! columns with their labels under the baseline, a line with its points. The look follows
//! `slide-design.md`: labels on the data, no legend, no grid, one faint baseline, bars from
//! zero, the highlighted point in the accent and the rest muted (every mark in the accent when
//! nothing is highlighted). The numbers are read and written by [`number`], the axis by
//! [`scale`], the alt text by [`describe`].

pub mod describe;
pub mod number;
pub mod scale;

use crate::geom::Rect;
use crate::read::diag::{valid_help, Diagnostic};
use crate::read::reader::{Located, Reader};
use crate::read::yaml::{Node, Pos, Value};
use crate::scene::Item;
use crate::text::{markup, Align, Family, TextBlock, TextStyle, Typesetter};

use super::{inline, path, place_line, push_text, style, Block, Ctx, Element, Sizes};
use crate::read::format::{no_aliases, Key, Mapping, Names, Rule, Shape};
use number::{Format, NotANumber, Unit, Written};
use scale::Domain;

/// Fewest points of a chart.
pub const MIN_POINTS: usize = 2;
/// Most points of a bar or column chart.
pub const MAX_POINTS: usize = 12;
/// Most points of a line chart.
pub const MAX_LINE_POINTS: usize = 30;
/// Longest point label, in characters.
pub const MAX_LABEL_CHARS: usize = 40;
/// Longest `chart.caption`, in characters.
pub const MAX_CAPTION_CHARS: usize = 200;
/// Longest `value` as text (`"$1,200.50"`), in characters.
pub const MAX_VALUE_CHARS: usize = 32;
/// The chart types, as written in `type:`.
pub const TYPE_NAMES: &[&str] = &["bar", "column", "line"];
/// The smallest chart label, px at 1080 wide: the last step before a chart gives up.
const LABEL_FLOOR: f32 = 22.0;

/// How the values are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartType {
    /// Horizontal bars, one row per point, labels beside (or above) the bars.
    Bar,
    /// Vertical columns side by side, labels under the baseline.
    Column,
    /// Points joined by a line, left to right.
    Line,
}

impl ChartType {
    /// The name written in decks.
    pub fn name(self) -> &'static str {
        match self {
            ChartType::Bar => "bar",
            ChartType::Column => "column",
            ChartType::Line => "line",
        }
    }

    /// Most points a chart of this type takes.
    pub fn max_points(self) -> usize {
        match self {
            ChartType::Line => MAX_LINE_POINTS,
            _ => MAX_POINTS,
        }
    }
}

/// One labelled value.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The label, as written.
    pub label: Located<String>,
    /// The value, in the chart's unit.
    pub value: f64,
}

/// A chart, checked and ready to draw.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Bar, column or line.
    pub kind: ChartType,
    /// The points, in the order written.
    pub points: Vec<Point>,
    /// How every value is written (unit, decimals).
    pub format: Format,
    /// The point drawn in the accent.
    pub highlight: Option<usize>,
    /// A line under the chart, saying what it measures; also the alt text's subject.
    pub caption: Option<Located<String>>,
    /// The axis.
    pub domain: Domain,
    /// Where the chart was written.
    pub pos: Pos,
}

impl Chart {
    fn values(&self) -> Vec<f64> {
        self.points.iter().map(|p| p.value).collect()
    }

    fn label(&self, index: usize) -> String {
        self.format.format(self.points[index].value)
    }

    fn highlighted(&self, index: usize) -> bool {
        self.highlight == Some(index)
    }

    /// The alt text: kind, subject, every point, and what stands out.
    pub fn description(&self) -> String {
        let said: Vec<describe::Said> = self
            .points
            .iter()
            .map(|p| describe::Said {
                label: p.label.value.as_str(),
                text: self.format.format(p.value),
                value: p.value,
            })
            .collect();
        let what = self.caption.as_ref().map(|c| markup::plain_text(&c.value));
        let axis_from = self.domain.tight.then(|| self.format.format(self.domain.base_value()));
        describe::describe(self.kind.name(), what.as_deref(), &said, self.highlight, axis_from.as_deref())
    }
}

impl Chart {
    /// Advice for `carousel check` about the chart on slide `slide`: data a chart cannot show.
    pub fn lints(&self, slide: usize) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        if self.points.iter().all(|p| p.value == 0.0) {
            warnings.push(
                Diagnostic::warning(self.pos, format!("every value of the chart on slide {slide} is zero"))
                    .with_help("a chart of zeros shows nothing to compare; say it in words, or chart what changed"),
            );
        }
        if self.kind == ChartType::Line && self.points.len() < 3 {
            warnings.push(
                Diagnostic::warning(
                    self.pos,
                    format!("the line on slide {slide} has only {} points", self.points.len()),
                )
                .with_help("a line shows a trend over several points; two values compare better as `type: column`"),
            );
        }
        warnings
    }
}

impl Element for Chart {
    const KEY: &'static str = "chart";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Chart> {
        let fields = reader.map(node, "`chart`", &CHART)?;
        let kind = match fields.present("type") {
            None => {
                reader.error(node.pos, "`chart` has no `type`", "add `type: bar`, `type: column` or `type: line`");
                None
            }
            Some(type_node) => {
                let given = type_node.as_text().unwrap_or_default();
                match given.trim().to_lowercase().as_str() {
                    "bar" => Some(ChartType::Bar),
                    "column" => Some(ChartType::Column),
                    "line" => Some(ChartType::Line),
                    other => {
                        reader.error(
                            type_node.pos,
                            format!("unknown chart type `{}`", other),
                            format!(
                                "{}: bar (horizontal bars), column (vertical), line",
                                valid_help(other, TYPE_NAMES)
                            ),
                        );
                        None
                    }
                }
            }
        };
        let unit_given = reader
            .optional_text(&fields, "unit", "`chart.unit`", CHART.max_chars("unit"))
            .map(|u| Unit::parse(&u.value));
        let caption = reader.optional_text(&fields, "caption", "`chart.caption`", CHART.max_chars("caption"));
        let Some(data) = fields.present("data") else {
            reader.error(
                node.pos,
                "`chart` has no `data`",
                "add `data:` with 2 to 12 points, like `- { label: Day 1, value: 0.12 }`",
            );
            return None;
        };
        let kind = kind?;
        if let Value::Seq(items) = &data.value {
            if items.len() > kind.max_points() {
                reader.error(
                    data.pos,
                    format!(
                        "`chart.data` has {} points; a {} chart takes at most {}",
                        items.len(),
                        kind.name(),
                        kind.max_points()
                    ),
                    format!(
                        "a bar or column chart takes 2 to {MAX_POINTS} points, a line 2 to {MAX_LINE_POINTS}: \
                         group the points, or split them across slides"
                    ),
                );
                return None;
            }
        }
        let items = reader.list(data, "`chart.data`", kind.max_points())?;
        if items.len() < MIN_POINTS {
            reader.error(
                data.pos,
                format!("a chart needs at least {MIN_POINTS} points, found {}", items.len()),
                "one number reads better as a metric: `metrics: [{ label, value }]`",
            );
            return None;
        }
        let mut points = Vec::new();
        let mut units: Vec<(Unit, Pos, String)> = Vec::new();
        let mut decimals = 0u8;
        let mut failed = false;
        for item in items {
            let Some(point) = reader.map(item, "a chart point", &CHART_POINT) else {
                failed = true;
                continue;
            };
            let label = match point.present("label") {
                Some(label) => reader.text(label, "a point's `label`", CHART_POINT.max_chars("label")),
                None => {
                    reader.error(item.pos, "this point has no `label`", "write { label: Day 1, value: 0.12 }");
                    None
                }
            };
            let written = match point.present("value") {
                Some(value) => read_value(reader, value),
                None => {
                    reader.error(item.pos, "this point has no `value`", "write { label: Day 1, value: 0.12 }");
                    None
                }
            };
            match (label, written) {
                (Some(label), Some((written, pos, text))) => {
                    decimals = decimals.max(written.decimals);
                    if written.unit.is_some() {
                        units.push((written.unit.clone(), pos, text));
                    }
                    points.push(Point { label, value: written.value });
                }
                _ => failed = true,
            }
        }
        // One chart, one unit: the `unit:` key, or else the first value's own.
        let unit = unit_given.clone().or_else(|| units.first().map(|(u, _, _)| u.clone())).unwrap_or(Unit::None);
        for (written, pos, text) in &units {
            if !written.text().eq_ignore_ascii_case(unit.text()) {
                let origin = if unit_given.is_some() { "`unit`" } else { "the chart's first value" };
                reader.error(
                    *pos,
                    format!("`{text}` is in {}, but {origin} says {}", written.text(), unit.text()),
                    "a chart has one unit: write every value in it (convert 1.2s to 1200ms), or as plain numbers with `unit:` once",
                );
                failed = true;
            }
        }
        let highlight = match fields.present("highlight") {
            None => None,
            Some(h) => {
                let given = h.as_text().unwrap_or_default();
                let wanted = given.trim();
                let matching: Vec<usize> = points
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.label.value.trim().eq_ignore_ascii_case(wanted))
                    .map(|(i, _)| i)
                    .collect();
                match matching.as_slice() {
                    [one] => Some(*one),
                    [] => {
                        if !failed {
                            let labels: Vec<&str> = points.iter().map(|p| p.label.value.trim()).collect();
                            reader.error(
                                h.pos,
                                format!("`highlight: {wanted}` names no point of this chart"),
                                format!("highlight takes a point's label; {}", valid_help(wanted, &labels)),
                            );
                        }
                        failed = true;
                        None
                    }
                    _ => {
                        reader.error(
                            h.pos,
                            format!("{} points are labelled `{wanted}`, so `highlight` is ambiguous", matching.len()),
                            "give the points distinct labels",
                        );
                        failed = true;
                        None
                    }
                }
            }
        };
        if failed {
            return None;
        }
        let values: Vec<f64> = points.iter().map(|p| p.value).collect();
        let domain = match kind {
            ChartType::Line => Domain::for_line(&values),
            _ => Domain::from_zero(&values),
        };
        let format = Format::for_values(&values, decimals, unit);
        Some(Chart { kind, points, format, highlight, caption, domain, pos: node.pos })
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        let paint = Paint::new(ctx, sizes);
        let mut items = Vec::new();
        let mut height = match self.kind {
            ChartType::Bar => self.bars(ctx, &paint, ts, &mut items),
            ChartType::Column => self.columns(ctx, &paint, ts, &mut items),
            ChartType::Line => self.line(ctx, &paint, ts, &mut items),
        };
        let mut notes = Vec::new();
        if let Some(caption) = &self.caption {
            notes.push(caption.value.clone());
        }
        if self.domain.tight {
            notes.push(format!("axis from {}", self.format.format(self.domain.base_value())));
        }
        if !notes.is_empty() {
            let caption_style =
                TextStyle { line_height: 1.3, ..style(ctx.theme, Family::Sans, paint.small, ctx.theme.muted) };
            let text = ts.set(&inline(&notes.join(" · ")), &caption_style, ctx.width, Align::Start);
            height += 20.0 * ctx.s;
            push_text(&mut items, &text, 0.0, height, Some(ctx.theme.surface));
            height += text.height;
        }
        Block { name: Self::KEY, pos: self.pos, items, width: ctx.width, height, gap_before: 0.0 }
    }

    fn words(&self, out: &mut Vec<String>) {
        out.push(self.description());
    }
}

/// Reads a value: a YAML number, or text with its unit. Returns it with where and how it was written.
fn read_value(reader: &mut Reader, node: &Node) -> Option<(Written, Pos, String)> {
    let text = match &node.value {
        Value::Int(_) | Value::Float(_) | Value::Str(_) => node.as_text().unwrap_or_default(),
        other => {
            reader.error(
                node.pos,
                format!("a point's `value` must be a number, found {}", other.type_name()),
                "write a number, with its unit if you like: 0.12, \"$0.12\", \"45ms\", \"87%\"",
            );
            return None;
        }
    };
    if text.chars().count() > MAX_VALUE_CHARS {
        reader.error(
            node.pos,
            format!("this value is {} characters long; the limit is {MAX_VALUE_CHARS}", text.chars().count()),
            "write the number alone, and its unit in `unit:`",
        );
        return None;
    }
    match number::parse(&text) {
        Ok(written) => Some((written, node.pos, text.trim().to_string())),
        Err(why) => {
            let (message, help) = match why {
                NotANumber::Malformed => (
                    format!("`{}` is not a number, so it cannot be drawn to scale", text.trim()),
                    "write a number, with its unit if you like: 0.12, \"$0.12\", \"45ms\", \"1,200\", \"87%\"",
                ),
                NotANumber::TooLarge => (
                    format!("`{}` is too large to chart", text.trim()),
                    "values up to 10^15 are charted; write large numbers in a bigger unit (1.2 in `unit: M users`)",
                ),
                NotANumber::LongUnit => (
                    format!("the unit of `{}` is longer than {} characters", text.trim(), number::MAX_UNIT_CHARS),
                    "use a short unit (ms, GB, req/s) and say the rest in the caption",
                ),
            };
            reader.error(node.pos, message, help);
            None
        }
    }
}

/// Sizes and colours shared by the three chart types at one fitting step.
struct Paint {
    s: f32,
    /// Value labels.
    value: f32,
    /// Point labels.
    label: f32,
    /// The caption and axis note.
    small: f32,
    floor: f32,
    f: f32,
    slot_height: f32,
}

impl Paint {
    fn new(ctx: &Ctx, sizes: &Sizes) -> Paint {
        let s = ctx.s;
        let floor = LABEL_FLOOR * s;
        Paint {
            s,
            value: (sizes.body * 0.84).max(floor),
            label: (sizes.body * 0.74).max(floor),
            small: (sizes.body * 0.7).max(floor),
            floor,
            f: sizes.f,
            slot_height: ctx.slot_height,
        }
    }
}

/// The colours of a point: its mark, its value and its label.
struct Inks {
    mark: crate::design::theme::Color,
    value: TextStyle,
    label: TextStyle,
}

impl Chart {
    fn inks(&self, ctx: &Ctx, paint: &Paint, index: usize, value_size: f32, label_size: f32) -> Inks {
        let theme = ctx.theme;
        let quiet = theme.muted.mix(theme.background, 0.5);
        let lit = self.highlight.is_none() || self.highlighted(index);
        let _ = paint;
        let value_weight = if self.highlighted(index) { 800 } else { 700 };
        let value_color = if self.highlighted(index) { theme.accent } else { theme.text };
        let label_color = if self.highlighted(index) { theme.text } else { theme.muted };
        Inks {
            mark: if lit { theme.accent } else { quiet },
            value: TextStyle {
                weight: value_weight,
                line_height: 1.1,
                ..style(theme, Family::Sans, value_size, value_color)
            },
            label: TextStyle {
                weight: if self.highlighted(index) { 700 } else { 500 },
                line_height: 1.15,
                ..style(theme, Family::Sans, label_size, label_color)
            },
        }
    }

    /// The widest value label at `size`.
    fn widest_value(&self, ctx: &Ctx, paint: &Paint, ts: &mut Typesetter, size: f32, negative: Option<bool>) -> f32 {
        let mut widest: f32 = 0.0;
        for (i, point) in self.points.iter().enumerate() {
            if negative.is_some_and(|n| n != (point.value < 0.0)) {
                continue;
            }
            let inks = self.inks(ctx, paint, i, size, size);
            let style = TextStyle { weight: 800, ..inks.value };
            widest = widest.max(ts.measure(&plain(&self.label(i)), &style));
        }
        widest
    }

    /// Horizontal bars, one row per point: labels beside the bars when they are short enough
    /// to leave most of the width to the bars, else above each bar.
    fn bars(&self, ctx: &Ctx, paint: &Paint, ts: &mut Typesetter, items: &mut Vec<Item>) -> f32 {
        let s = paint.s;
        let n = self.points.len() as f32;
        let mut label_width: f32 = 0.0;
        for (i, point) in self.points.iter().enumerate() {
            let inks = self.inks(ctx, paint, i, paint.value, paint.label);
            label_width = label_width.max(ts.measure(&inline(&point.label.value), &inks.label));
        }
        let beside = label_width <= ctx.width * 0.36;
        let thickness = (54.0 * s * paint.f).min(paint.slot_height * 0.6 / (n * 1.5)).max(paint.value * 1.2);
        let gap = if beside { thickness * 0.42 } else { thickness * 0.3 };
        let pad = 14.0 * s;
        let negative_room = match self.points.iter().any(|p| p.value < 0.0) {
            true => self.widest_value(ctx, paint, ts, paint.value, Some(true)) + pad,
            false => 0.0,
        };
        let positive_room = self.widest_value(ctx, paint, ts, paint.value, Some(false)) + pad;
        let start = if beside { label_width + 28.0 * s } else { 0.0 };
        let track = (ctx.width - start - negative_room - positive_room).max(40.0 * s);
        let origin = start + negative_room;
        let zero = origin + self.domain.base() as f32 * track;
        let mut y = 0.0;
        let mut rows = Vec::new();
        for (i, point) in self.points.iter().enumerate() {
            if i > 0 {
                y += gap;
            }
            let inks = self.inks(ctx, paint, i, paint.value, paint.label);
            let mut bar_top = y;
            if beside {
                let label = ts.set(&inline(&point.label.value), &inks.label, label_width + 1.0, Align::Start);
                place_line(items, &label, 0.0, y + thickness / 2.0 + inks.label.size * 0.36);
            } else {
                let label = ts.set(&inline(&point.label.value), &inks.label, ctx.width, Align::Start);
                push_text(items, &label, 0.0, y, None);
                bar_top = y + label.height + 6.0 * s;
            }
            rows.push((bar_top, inks));
            y = bar_top + thickness;
        }
        // The baseline sits behind the bars, from the first bar's top to the last one's bottom.
        let first_top = rows.first().map_or(0.0, |r| r.0);
        items.push(Item::Rect {
            rect: Rect { x: zero - s, y: first_top - 6.0 * s, width: 2.0 * s, height: y - first_top + 12.0 * s },
            radius: 0.0,
            fill: ctx.theme.muted,
            opacity: 0.45,
        });
        for (i, (top, inks)) in rows.into_iter().enumerate() {
            let value = self.points[i].value;
            let end = origin + self.domain.at(value) as f32 * track;
            let (left, right) = if end >= zero { (zero, end) } else { (end, zero) };
            let length = (right - left).max(4.0 * s);
            items.push(Item::Rect {
                rect: Rect {
                    x: if end >= zero { left } else { right - length },
                    y: top,
                    width: length,
                    height: thickness,
                },
                radius: (thickness * 0.18).min(length / 2.0),
                fill: inks.mark,
                opacity: 1.0,
            });
            let text = ts.set(&plain(&self.label(i)), &inks.value, ctx.width, Align::Start);
            let baseline = top + thickness / 2.0 + inks.value.size * 0.36;
            let x = if value < 0.0 {
                left.min(zero - length) - pad * 0.7 - text.width
            } else {
                zero.max(right) + pad * 0.7
            };
            place_line(items, &text, x, baseline);
        }
        y
    }

    /// How tall the plot of a column or line chart is: most of the width on a portrait slide,
    /// half the slot on wide ones, smaller at each fitting step.
    fn plot_height(&self, ctx: &Ctx, paint: &Paint) -> f32 {
        let designed = (ctx.width * 0.6).min(paint.slot_height * 0.46);
        (designed * paint.f.min(1.0)).max(180.0 * paint.s)
    }

    /// Labels under columns or points, each centred on its x and within `room`, at the largest
    /// size from the chart's own down to the floor that fits; wrapped at spaces when one line
    /// does not fit at the floor. Returns the set labels, and whether a word of one is wider
    /// than `room` even at the floor (it would have to be broken inside the word).
    fn under_labels(
        &self,
        ctx: &Ctx,
        paint: &Paint,
        ts: &mut Typesetter,
        room: f32,
        shown: &[usize],
    ) -> (Vec<(usize, TextBlock)>, bool) {
        let mut size = paint.label;
        loop {
            let mut set = Vec::new();
            let mut fits = true;
            for &i in shown {
                let inks = self.inks(ctx, paint, i, paint.value, size);
                let width = ts.measure(&inline(&self.points[i].label.value), &inks.label);
                fits &= width <= room;
                set.push((i, inks.label));
            }
            if fits || size <= paint.floor + 0.01 {
                let mut overflow = false;
                let mut out = Vec::new();
                for (i, style) in set {
                    let label = &self.points[i].label.value;
                    for word in markup::plain_text(label).split_whitespace() {
                        overflow |= ts.word_width(word, &style) * 1.04 > room;
                    }
                    out.push((i, ts.set(&inline(label), &style, room, Align::Center)));
                }
                return (out, overflow);
            }
            size = (size * 0.92).max(paint.floor);
        }
    }

    /// Vertical columns: values above (below for negatives), labels under the plot.
    fn columns(&self, ctx: &Ctx, paint: &Paint, ts: &mut Typesetter, items: &mut Vec<Item>) -> f32 {
        let s = paint.s;
        let n = self.points.len();
        let pitch = ctx.width / n as f32;
        let column = (pitch * 0.62).min(150.0 * s);
        // Values share one size, the largest that fits the pitch.
        let mut value_size = paint.value;
        while value_size > paint.floor && self.widest_value(ctx, paint, ts, value_size, None) > pitch * 0.96 {
            value_size = (value_size * 0.92).max(paint.floor);
        }
        let value_line = value_size * 1.1;
        let has_negative = self.points.iter().any(|p| p.value < 0.0);
        let has_positive = self.points.iter().any(|p| p.value >= 0.0);
        let top = if has_positive { value_line + 10.0 * s } else { 0.0 };
        let plot = self.plot_height(ctx, paint);
        let y_of = |v: f64| top + (1.0 - self.domain.at(v) as f32) * plot;
        let zero_y = y_of(self.domain.base_value());
        items.push(Item::Rect {
            rect: Rect { x: 0.0, y: zero_y - s, width: ctx.width, height: 2.0 * s },
            radius: 0.0,
            fill: ctx.theme.muted,
            opacity: 0.45,
        });
        for (i, point) in self.points.iter().enumerate() {
            let inks = self.inks(ctx, paint, i, value_size, paint.label);
            let center = pitch * (i as f32 + 0.5);
            let end = y_of(point.value);
            let (upper, lower) = if point.value >= 0.0 { (end, zero_y) } else { (zero_y, end) };
            let length = (lower - upper).max(4.0 * s);
            let rect_top = if point.value >= 0.0 { lower - length } else { upper };
            items.push(Item::Rect {
                rect: Rect { x: center - column / 2.0, y: rect_top, width: column, height: length },
                radius: (column * 0.1).min(length / 2.0),
                fill: inks.mark,
                opacity: 1.0,
            });
            let text = ts.set(&plain(&self.label(i)), &inks.value, pitch, Align::Start);
            let baseline = if point.value >= 0.0 {
                rect_top - 10.0 * s - value_size * 0.22
            } else {
                rect_top + length + 10.0 * s + value_size * 0.8
            };
            place_line(items, &text, center - text.width / 2.0, baseline);
        }
        let mut y = top + plot;
        if has_negative {
            y += value_line + 10.0 * s;
        }
        y += 16.0 * s;
        let all: Vec<usize> = (0..n).collect();
        let (labels, overflow) = self.under_labels(ctx, paint, ts, pitch * 0.94, &all);
        let mut tallest: f32 = 0.0;
        for (i, text) in labels {
            centre_under(items, &text, pitch * 0.94, pitch * (i as f32 + 0.5), y, ctx.width);
            tallest = tallest.max(text.height);
        }
        if overflow {
            // A label broken inside a word is not an option: claim more than the slot, so that
            // the slide's fitting fails at this block (pointing at it) when the floor is reached.
            return (y + tallest).max(paint.slot_height + 1.0);
        }
        y + tallest
    }

    /// A line through the points, each value beside its point; labels under the axis. When
    /// the values or labels of many points would collide, the ones that tell the story are
    /// kept: the highlight, the highest, the lowest, the last and the first.
    fn line(&self, ctx: &Ctx, paint: &Paint, ts: &mut Typesetter, items: &mut Vec<Item>) -> f32 {
        let s = paint.s;
        let theme = ctx.theme;
        let n = self.points.len();
        let value_size = paint.value;
        let value_line = value_size * 1.1;
        let widest = self.widest_value(ctx, paint, ts, value_size, None);
        let inset = (widest / 2.0).max(14.0 * s);
        let span = (ctx.width - 2.0 * inset).max(1.0);
        let step = span / (n.max(2) - 1) as f32;
        let top = value_line + 14.0 * s;
        let plot = self.plot_height(ctx, paint);
        let y_of = |v: f64| top + (1.0 - self.domain.at(v) as f32) * plot;
        let points: Vec<(f32, f32)> =
            self.points.iter().enumerate().map(|(i, p)| (inset + step * i as f32, y_of(p.value))).collect();
        let base_y = y_of(self.domain.base_value());
        items.push(Item::Rect {
            rect: Rect { x: 0.0, y: base_y - s, width: ctx.width, height: 2.0 * s },
            radius: 0.0,
            fill: theme.muted,
            opacity: 0.45,
        });
        let stroke = if self.highlight.is_some() { theme.muted.mix(theme.background, 0.35) } else { theme.accent };
        let mut commands = Vec::new();
        for (i, (x, y)) in points.iter().enumerate() {
            commands.push((if i == 0 { 'M' } else { 'L' }, *x, *y));
        }
        items.push(Item::Path {
            d: path(&commands),
            fill: None,
            stroke: Some((stroke, 5.0 * s * paint.f.clamp(0.7, 1.0))),
        });
        for (i, (x, y)) in points.iter().enumerate() {
            let lit = self.highlighted(i);
            let r = if lit { 12.0 } else { 8.0 } * s;
            items.push(Item::Circle { cx: *x, cy: *y, r: r + 4.0 * s, fill: theme.background });
            items.push(Item::Circle { cx: *x, cy: *y, r, fill: if lit { theme.accent } else { stroke } });
        }
        // Each value above its point, or below when the line dips there.
        let mut placed: Vec<(usize, TextBlock, Rect)> = Vec::new();
        let mut candidates = Vec::new();
        for (i, (x, y)) in points.iter().enumerate() {
            let inks = self.inks(ctx, paint, i, value_size, paint.label);
            let text = ts.set(&plain(&self.label(i)), &inks.value, ctx.width, Align::Start);
            let value = self.points[i].value;
            let before = i.checked_sub(1).map(|j| self.points[j].value);
            let after = self.points.get(i + 1).map(|p| p.value);
            let dips = before.is_none_or(|b| value < b) && after.is_none_or(|a| value < a) && n > 1;
            // Below only where it clears the baseline and the labels under it.
            let below = dips && *y + 18.0 * s + value_line < base_y - 6.0 * s;
            let label_top = if below { *y + 18.0 * s } else { *y - 18.0 * s - value_line };
            let x0 = (x - text.width / 2.0).clamp(0.0, ctx.width - text.width);
            let width = text.width;
            candidates.push((i, text, Rect { x: x0, y: label_top, width, height: value_line }));
        }
        let collides = |a: &Rect, b: &Rect| {
            let gap = 8.0 * s;
            a.x < b.right() + gap && b.x < a.right() + gap && a.y < b.bottom() && b.y < a.bottom()
        };
        let all_fit = candidates.iter().enumerate().all(|(i, (_, _, a))| {
            candidates[i + 1..].iter().all(|(_, _, b)| !collides(a, b))
                && points.iter().enumerate().all(|(j, (px, py))| j == i || !dot_hits(a, *px, *py, 10.0 * s))
        });
        if all_fit {
            placed = candidates;
        } else {
            for i in self.key_points() {
                let Some(candidate) = candidates.iter().find(|c| c.0 == i) else { continue };
                if placed.iter().all(|p| !collides(&p.2, &candidate.2)) {
                    placed.push(candidate.clone());
                }
            }
        }
        for (_, text, rect) in &placed {
            place_line(items, text, rect.x, rect.y + value_size * 0.86);
        }
        // Point labels under the axis: every one that fits, else every k-th.
        let y = top + plot + 16.0 * s;
        let mut size_style = Vec::new();
        for i in 0..n {
            let inks = self.inks(ctx, paint, i, value_size, paint.label);
            size_style.push(ts.measure(&inline(&self.points[i].label.value), &inks.label));
        }
        let widest_label = size_style.iter().copied().fold(0.0f32, f32::max) + 16.0 * s;
        let stride = ((widest_label / step).ceil() as usize).max(1);
        let mut shown: Vec<usize> = (0..n).step_by(stride).collect();
        if let Some(&last) = shown.last() {
            if last != n - 1 {
                if (n - 1 - last) as f32 * step >= widest_label {
                    shown.push(n - 1);
                } else if shown.len() > 1 {
                    *shown.last_mut().unwrap_or(&mut 0) = n - 1;
                }
            }
        }
        let room = (step * stride as f32).min(ctx.width).max(widest_label.min(ctx.width));
        let (labels, _) = self.under_labels(ctx, paint, ts, room, &shown);
        let mut tallest: f32 = 0.0;
        for (i, text) in labels {
            centre_under(items, &text, room, points[i].0, y, ctx.width);
            tallest = tallest.max(text.height);
        }
        y + tallest
    }

    /// The points whose values a crowded line keeps, most telling first.
    fn key_points(&self) -> Vec<usize> {
        let values = self.values();
        let n = values.len();
        let max = (0..n).max_by(|a, b| values[*a].total_cmp(&values[*b]));
        let min = (0..n).min_by(|a, b| values[*a].total_cmp(&values[*b]));
        let mut order = Vec::new();
        for i in [self.highlight, max, min, n.checked_sub(1), Some(0)].into_iter().flatten() {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        order
    }
}

/// Adds `text`, set centred in a box `room` wide, so that its ink is centred on `center`,
/// moved inwards where that would cross the edges of a block `width` wide.
fn centre_under(items: &mut Vec<Item>, text: &TextBlock, room: f32, center: f32, y: f32, width: f32) {
    let ink = text.width.min(width);
    let left = (center - ink / 2.0).clamp(0.0, (width - ink).max(0.0));
    push_text(items, text, left - (room - ink) / 2.0, y, None);
}

/// Whether the dot at (`x`, `y`) of radius `r` overlaps `rect`.
fn dot_hits(rect: &Rect, x: f32, y: f32, r: f32) -> bool {
    x + r > rect.x && x - r < rect.right() && y + r > rect.y && y - r < rect.bottom()
}

/// Plain text as spans (a value label has no markup to read).
fn plain(text: &str) -> Vec<crate::text::markup::Span> {
    vec![crate::text::markup::Span { text: text.to_string(), emphasis: Default::default() }]
}

/// Chart types.
pub static CHART_TYPES: Names =
    Names { names: || TYPE_NAMES.to_vec(), aliases: no_aliases, loose_separators: false, blank_ok: false };

/// A chart.
pub static CHART: Mapping = Mapping {
    what: "`chart`",
    doc: "Numbers drawn to scale from zero, each value labelled on its mark; no legend, no grid.",
    keys: &[
        Key {
            name: "type",
            doc: "bar: horizontal bars, labels beside them; column: vertical columns, labels under them; \
                  line: points joined left to right (a tight axis, labelled, when the values sit far from zero).",
            required: true,
            shape: Shape::Name(&CHART_TYPES),
        },
        Key {
            name: "data",
            doc: "The points, in order: 2 to 12 (a line: 30), each {label, value}.",
            required: true,
            shape: Shape::List { min: 2, max: MAX_LINE_POINTS, item: &Shape::Map(&CHART_POINT) },
        },
        Key {
            name: "unit",
            doc: "Shown with every value: a currency sign before it ($0.12), % right after it (87%), \
                  anything else after a space (45 ms). Values may carry it themselves (\"45ms\").",
            required: false,
            shape: Shape::Text { max: number::MAX_UNIT_CHARS },
        },
        Key {
            name: "highlight",
            doc: "The label of the point drawn in the accent; the others are muted.",
            required: false,
            shape: Shape::Text { max: MAX_LABEL_CHARS },
        },
        Key {
            name: "caption",
            doc: "A line under the chart saying what it measures; inline markup. The alt text names it too.",
            required: false,
            shape: Shape::Text { max: MAX_CAPTION_CHARS },
        },
    ],
    rule: Rule::None,
};

/// One point of a chart.
pub static CHART_POINT: Mapping = Mapping {
    what: "a chart point",
    doc: "A labelled value.",
    keys: &[
        Key {
            name: "label",
            doc: "What the value is (Day 1, Authentication).",
            required: true,
            shape: Shape::Text { max: MAX_LABEL_CHARS },
        },
        Key {
            name: "value",
            doc: "A number (0.12), or text with its unit (\"$0.12\", \"45ms\", \"1,200\", \"87%\"); \
                  one unit per chart.",
            required: true,
            shape: Shape::Matching { max: MAX_VALUE_CHARS, pattern: NUMBER_PATTERN },
        },
    ],
    rule: Rule::None,
};

/// A number as a chart's `value` takes it, when written as text: a sign, a currency sign, digits
/// with `,` or `_` between thousands and a decimal point, and a short unit.
pub const NUMBER_PATTERN: &str =
    r"^\s*[-+−]?\s*[$€£¥₹₩₽]?\s*[-+−]?\s*(?:[0-9][0-9,_]*(?:\.[0-9]*)?|\.[0-9]+)\s*[^\s0-9]{0,12}\s*$";

/// The `chart:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "chart",
    doc: "A chart drawn to scale, every value labelled: {type: bar | column | line, data: [{label, value}], \
          unit, highlight, caption}; 2 to 12 points (line: 30).",
    required: false,
    shape: Shape::Map(&CHART),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::Content;
    use crate::deck;
    use crate::design::kind::Kind;
    use crate::design::template::HAlign;
    use crate::design::theme::Theme;

    /// The diagnostics of a deck whose one slide holds `chart`, as (line, column, message, help).
    fn errors(chart: &str) -> Vec<(u32, u32, String, String)> {
        let source = format!("title: T\nslides:\n  - kind: results\n    chart:\n{chart}");
        let loaded = deck::load(std::path::Path::new("/nonexistent/deck.yaml"), &source);
        loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.pos.line, d.pos.column, d.message.clone(), d.help.clone().unwrap_or_default()))
            .collect()
    }

    fn chart(body: &str) -> Chart {
        let source = format!("title: T\nslides:\n  - kind: results\n    chart:\n{body}");
        let loaded = deck::load(std::path::Path::new("/nonexistent/deck.yaml"), &source);
        let deck = loaded.deck.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        deck.slides[0]
            .blocks
            .iter()
            .find_map(|b| match b {
                Content::Chart(chart) => Some(chart.clone()),
                _ => None,
            })
            .expect("a chart")
    }

    #[test]
    fn values_are_numbers_or_text_with_one_unit() {
        let c = chart("      type: column\n      data:\n        - { label: a, value: 0 }\n        - { label: b, value: \"$0.12\" }\n        - { label: c, value: 0.03 }\n");
        assert_eq!(c.points.iter().map(|p| p.value).collect::<Vec<_>>(), [0.0, 0.12, 0.03]);
        assert_eq!((0..3).map(|i| c.label(i)).collect::<Vec<_>>(), ["$0.00", "$0.12", "$0.03"]);
        let c = chart("      type: bar\n      unit: ms\n      highlight: B\n      data: [{label: a, value: 100}, {label: b, value: 45ms}]\n");
        assert_eq!(c.label(1), "45\u{a0}ms");
        assert_eq!(c.highlight, Some(1), "highlight ignores case");
    }

    #[test]
    fn mistakes_are_reported_at_the_value_with_what_is_valid() {
        let e = errors("      type: colum\n      data: [{label: a, value: 1}, {label: b, value: 2}]\n");
        assert_eq!((e[0].0, e[0].1), (5, 13));
        assert!(e[0].2.contains("unknown chart type `colum`") && e[0].3.contains("did you mean `column`"), "{e:?}");
        let e = errors("      type: bar\n      data: [{label: a, value: 1}, {label: b, value: fast}]\n");
        assert_eq!((e[0].0, e[0].1), (6, 54));
        assert!(e[0].2.contains("`fast` is not a number"), "{e:?}");
        let e = errors("      type: bar\n      data: [{label: a, value: [1]}, {label: b, value: 2}]\n");
        assert!(e[0].2.contains("must be a number, found a list"), "{e:?}");
        let e =
            errors("      type: bar\n      highlight: c\n      data: [{label: a, value: 1}, {label: b, value: 2}]\n");
        assert_eq!((e[0].0, e[0].1, e.len()), (6, 18, 1));
        assert!(e[0].2.contains("`highlight: c` names no point") && e[0].3.contains("`a`, `b`"), "{e:?}");
        let e = errors("      type: bar\n      data: [{label: a, value: 100ms}, {label: b, value: 1.2s}]\n");
        assert!(e[0].2.contains("`1.2s` is in s, but the chart's first value says ms"), "{e:?}");
        let e =
            errors("      type: bar\n      unit: \"%\"\n      data: [{label: a, value: 5}, {label: b, value: $2}]\n");
        assert!(e[0].2.contains("but `unit` says %"), "{e:?}");
        let points = (0..13).map(|i| format!("{{label: p{i}, value: {i}}}")).collect::<Vec<_>>().join(", ");
        let e = errors(&format!("      type: column\n      data: [{points}]\n"));
        assert!(e[0].2.contains("13 points; a column chart takes at most 12"), "{e:?}");
        assert!(errors(&format!("      type: line\n      data: [{points}]\n")).is_empty(), "a line takes 30");
        let e = errors("      type: line\n      data: [{label: a, value: 1}]\n");
        assert!(e[0].2.contains("at least 2 points"), "{e:?}");
        let e =
            errors("      type: bar\n      data: [{label: a, value: 1}, {label: a, value: 2}]\n      highlight: a\n");
        assert!(e[0].2.contains("ambiguous"), "{e:?}");
    }

    fn laid_out(chart: &Chart, width: f32) -> Block {
        let theme = Theme::built_in("midnight").expect("theme");
        let ctx = Ctx {
            theme: &theme,
            s: 1.0,
            fs: 1.0,
            width,
            align: HAlign::Start,
            slot_height: 1000.0,
            kind: Kind::Content,
            columns: false,
            words: crate::design::words::Words::for_language("en"),
        };
        let sizes = Sizes::reference();
        chart.layout(&ctx, &sizes, &mut Typesetter::new())
    }

    /// The marks of a chart: its rectangles taller (or wider) than a baseline.
    fn marks(block: &Block) -> Vec<Rect> {
        block
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Rect { rect, opacity, .. } if *opacity == 1.0 => Some(*rect),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bars_and_columns_are_drawn_to_scale_from_zero() {
        let c = chart(
            "      type: bar\n      data: [{label: a, value: 10}, {label: b, value: 20}, {label: c, value: 40}]\n",
        );
        let bars = marks(&laid_out(&c, 888.0));
        assert_eq!(bars.len(), 3);
        assert!((bars[1].width / bars[0].width - 2.0).abs() < 0.01, "{bars:?}");
        assert!((bars[2].width / bars[0].width - 4.0).abs() < 0.01, "{bars:?}");
        assert!(bars.iter().all(|b| (b.x - bars[0].x).abs() < 0.01), "bars share their zero");
        let c = chart("      type: column\n      data: [{label: a, value: 30}, {label: b, value: 60}]\n");
        let columns = marks(&laid_out(&c, 888.0));
        assert!((columns[1].height / columns[0].height - 2.0).abs() < 0.01, "{columns:?}");
        assert!((columns[0].bottom() - columns[1].bottom()).abs() < 0.01, "columns stand on one baseline");
    }

    #[test]
    fn negative_values_hang_from_the_zero_line_and_zeros_divide_nothing() {
        let c = chart("      type: bar\n      data: [{label: loss, value: -5}, {label: gain, value: 15}]\n");
        let bars = marks(&laid_out(&c, 888.0));
        assert!((bars[0].right() - bars[1].x).abs() < 0.01, "the loss ends where the gain starts: {bars:?}");
        assert!((bars[1].width / bars[0].width - 3.0).abs() < 0.01);
        let c = chart("      type: column\n      data: [{label: a, value: -2}, {label: b, value: 4}]\n");
        let columns = marks(&laid_out(&c, 888.0));
        assert!((columns[0].y - columns[1].bottom()).abs() < 0.01, "{columns:?}");
        for kind in ["bar", "column", "line"] {
            let c =
                chart(&format!("      type: {kind}\n      data: [{{label: a, value: 0}}, {{label: b, value: 0}}]\n"));
            let block = laid_out(&c, 888.0);
            assert!(block.height.is_finite() && block.height > 0.0, "{kind}");
            for item in &block.items {
                let finite = match item {
                    Item::Rect { rect, .. } => [rect.x, rect.y, rect.width, rect.height].iter().all(|v| v.is_finite()),
                    Item::Circle { cx, cy, .. } => cx.is_finite() && cy.is_finite(),
                    Item::Path { d, .. } => !d.contains("NaN") && !d.contains("inf"),
                    Item::Text(segment) => segment.x.is_finite() && segment.y.is_finite(),
                    _ => true,
                };
                assert!(finite, "{kind}: {item:?}");
            }
        }
    }

    #[test]
    fn a_tight_line_says_where_its_axis_starts() {
        let c = chart("      type: line\n      unit: ms\n      data: [{label: Mon, value: 245}, {label: Tue, value: 290}, {label: Wed, value: 250}]\n");
        assert!(c.domain.tight);
        let block = laid_out(&c, 888.0);
        let words: String = block
            .items
            .iter()
            .filter_map(|i| if let Item::Text(s) = i { Some(s.text.clone()) } else { None })
            .collect();
        assert!(words.contains("axis from 240"), "{words}");
        assert!(c.description().contains("the axis starts at 240\u{a0}ms, not zero"), "{}", c.description());
    }

    #[test]
    fn line_labels_never_collide() {
        let data =
            (1..=30).map(|d| format!("{{label: Nov {d}, value: {}}}", (d * 37) % 100)).collect::<Vec<_>>().join(", ");
        let c = chart(&format!("      type: line\n      highlight: Nov 7\n      data: [{data}]\n"));
        for width in [888.0, 1700.0] {
            let block = laid_out(&c, width);
            let boxes: Vec<Rect> = block
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text(s) => Some(Rect { x: s.x, y: s.y - s.size * 0.8, width: s.advance, height: s.size }),
                    _ => None,
                })
                .collect();
            for (i, a) in boxes.iter().enumerate() {
                for b in &boxes[i + 1..] {
                    let overlap = a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom();
                    assert!(!overlap, "{width}: {a:?} and {b:?} overlap");
                }
                assert!(a.x >= -0.5 && a.right() <= width + 0.5, "{width}: {a:?} leaves the block");
            }
            let highlighted = c.label(6);
            assert!(
                block.items.iter().any(|i| matches!(i, Item::Text(s) if s.text == highlighted)),
                "the highlight keeps its value"
            );
        }
    }

    #[test]
    fn column_labels_too_long_for_their_columns_do_not_fit() {
        let data =
            (0..12).map(|i| format!("{{label: Supercalifragilistic{i}, value: {i}}}")).collect::<Vec<_>>().join(", ");
        let c = chart(&format!("      type: column\n      data: [{data}]\n"));
        assert!(laid_out(&c, 888.0).height > 1000.0, "the slide's fitting reports it");
        let c = chart("      type: column\n      data: [{label: Day 1, value: 1}, {label: Day 2, value: 2}]\n");
        assert!(laid_out(&c, 888.0).height < 1000.0);
    }
}
