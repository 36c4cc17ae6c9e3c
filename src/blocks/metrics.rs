//! `metrics:` up to four numbers: a big value over its label (cards in a row), or a before/after
//! pair drawn as two bars on one scale with the change called out. Owns reading a value with its
//! unit (times and sizes convert) and computing the change ("20x faster").

use crate::design::theme::{Color, Theme};
use crate::design::words::{Trend, Words};
use crate::geom::Rect;
use crate::read::diag::valid_help;
use crate::read::yaml::{Node, Pos};
use crate::read::{
    limits,
    reader::{Fields, Located, Reader},
};
use crate::scene::Item;
use crate::text::{markup, Family, TextBlock, TextStyle, Typesetter};

use super::{ink_on, place_line, push_text, set_plain, style, Block, Ctx, Element, Role, Sizes};
use crate::read::format::{no_aliases, Key, Mapping, Names, Rule, Shape};

/// The values of a metric's `better`.
pub const DIRECTION_NAMES: &[&str] = &["lower", "higher"];

/// The metrics of a slide, never empty.
#[derive(Debug, Clone)]
pub struct Metrics {
    /// The metrics, in order.
    pub items: Vec<Metric>,
}

/// A number worth a slide.
#[derive(Debug, Clone)]
pub struct Metric {
    /// What was measured.
    pub label: Located<String>,
    /// How it is drawn.
    pub value: MetricValue,
    /// Where the metric was written.
    pub pos: Pos,
}

/// A before/after pair's change, called out large.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The author's own words (`change:`), drawn as written.
    Written(String),
    /// A small change as a percentage ("+12%"), the same in every language.
    Percent(String),
    /// A ratio ("20", "2.6") and which way it went, worded in the deck's language.
    Ratio { ratio: String, trend: Trend },
}

impl Change {
    /// The change in `words`' language: "20x faster", "מהיר פי 20" ...
    pub fn text(&self, words: &Words) -> String {
        match self {
            Change::Written(text) | Change::Percent(text) => text.clone(),
            Change::Ratio { ratio, trend } => words.change(ratio, *trend),
        }
    }
}

/// A single value, or a before/after pair.
#[derive(Debug, Clone)]
pub enum MetricValue {
    /// A big number over its label.
    Single(Located<String>),
    /// Two bars on one scale, with the ratio called out.
    Compare {
        /// The value before, as written.
        before: Located<String>,
        /// The value after, as written.
        after: Located<String>,
        /// The ratio, computed or as given by `change:`; `None` when it cannot be computed.
        change: Option<Change>,
        /// Bar lengths, 0..=1 of the longer bar.
        bars: (f32, f32),
        /// Whether the change is an improvement (coloured "good" or "bad"); `None` when the
        /// unit does not say and the deck has no `better: lower|higher` (drawn in the accent).
        better: Option<bool>,
    },
}

impl Element for Metrics {
    const KEY: &'static str = "metrics";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Metrics> {
        let items = reader.list(node, "`metrics`", limits::MAX_METRICS)?;
        let mut metrics = Vec::new();
        for item in items {
            let Some(fields) = reader.map(item, "a metric", &METRIC) else { continue };
            let Some(label_node) = fields.present("label") else {
                reader.error(
                    item.pos,
                    "this metric has no `label`",
                    "write { label: Load time, before: 4s, after: 200ms } or { label: Hit rate, value: \"87%\" }",
                );
                continue;
            };
            let Some(label) = reader.text(label_node, "a metric label", METRIC.max_chars("label")) else {
                continue;
            };
            let value = match (fields.present("value"), fields.present("before"), fields.present("after")) {
                (Some(value), None, None) => {
                    reader.text(value, "a metric value", METRIC.max_chars("value")).map(MetricValue::Single)
                }
                (None, Some(before), Some(after)) => parse_compare(reader, &fields, before, after),
                _ => {
                    reader.error(
                        item.pos,
                        "a metric takes either `value`, or both `before` and `after`",
                        "write { label, value: \"87%\" } or { label, before: 4000ms, after: 200ms }",
                    );
                    None
                }
            };
            if let Some(value) = value {
                metrics.push(Metric { label, value, pos: item.pos });
            }
        }
        (!metrics.is_empty()).then_some(Metrics { items: metrics })
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        metrics_block(ctx, &self.items, sizes, ts)
    }

    /// Three or more cards make a grid that needs the slide's whole width.
    fn role(&self, _column: &Ctx) -> Role {
        if self.items.iter().filter(|m| matches!(m.value, MetricValue::Single(_))).count() >= 3 {
            Role::Spread
        } else {
            Role::Figure
        }
    }

    fn words(&self, out: &mut Vec<String>) {
        for metric in &self.items {
            match &metric.value {
                MetricValue::Single(v) => out.push(format!("{}: {}", metric.label.value, v.value)),
                MetricValue::Compare { before, after, change, .. } => out.push(format!(
                    "{}: {} before, {} after{}",
                    metric.label.value,
                    before.value,
                    after.value,
                    change.as_ref().map(|c| format!(" ({})", c.text(Words::for_language("en")))).unwrap_or_default()
                )),
            }
        }
    }
}

fn parse_compare(reader: &mut Reader, fields: &Fields, before_node: &Node, after_node: &Node) -> Option<MetricValue> {
    let before = reader.text(before_node, "`before`", METRIC.max_chars("before"))?;
    let after = reader.text(after_node, "`after`", METRIC.max_chars("after"))?;
    let change_given = reader.optional_text(fields, "change", "`change`", METRIC.max_chars("change")).map(|c| c.value);
    let parsed_before = Quantity::parse(&before.value);
    let parsed_after = Quantity::parse(&after.value);
    let (Some(b), Some(a)) = (parsed_before, parsed_after) else {
        let bad = if parsed_before.is_none() { &before } else { &after };
        reader.error(
            bad.pos,
            format!("`{}` is not a number with a unit, so it cannot be drawn as a bar", bad.value),
            "write a number with an optional unit, like 4000ms, 4s, 1.5GB, 87%, $1,200; for a plain value use `value:`",
        );
        return None;
    };
    let (Some(bv), Some(av)) = (b.in_base_unit(), a.in_base_unit_like(&b)) else {
        reader.error(
            after.pos,
            format!("`{}` and `{}` are in different units", before.value, after.value),
            "use the same kind of unit on both sides, like 4s and 200ms",
        );
        return None;
    };
    if bv < 0.0 || av < 0.0 {
        reader.error(before.pos, "bars cannot show negative values", "write the magnitudes, or use `value:` for each");
        return None;
    }
    let longest = bv.max(av);
    let bars = if longest > 0.0 { ((bv / longest) as f32, (av / longest) as f32) } else { (0.0, 0.0) };
    let direction = match fields.present("better") {
        None => b.unit.lower_is_better(),
        Some(node) => match node.as_text().unwrap_or_default().trim().to_lowercase().as_str() {
            "lower" => Some(true),
            "higher" => Some(false),
            other => {
                reader.error(
                    node.pos,
                    format!("`better: {other}` is not a direction"),
                    valid_help(other, DIRECTION_NAMES),
                );
                return None;
            }
        },
    };
    let better = direction.map(|lower_is_better| if lower_is_better { av <= bv } else { av >= bv });
    let change = change_given.map(Change::Written).or_else(|| describe_change(bv, av, b.unit));
    Some(MetricValue::Compare { before, after, change, bars, better })
}

/// The metrics in their groups: runs of single values as card grids, before/after pairs as bars.
fn metrics_block(ctx: &Ctx, metrics: &[Metric], sizes: &Sizes, ts: &mut Typesetter) -> Block {
    // Across a wide slide, the before/after pairs and the single values sit side by side.
    let is_compare = |m: &Metric| matches!(m.value, MetricValue::Compare { .. });
    let (pairs, singles): (Vec<Metric>, Vec<Metric>) = metrics.iter().cloned().partition(|m| is_compare(m));
    if ctx.columns && !pairs.is_empty() && !singles.is_empty() && ctx.width >= 1000.0 * ctx.s {
        let gutter = 48.0 * ctx.s;
        let half = (ctx.width - gutter) / 2.0;
        let column = Ctx { width: half, columns: false, ..*ctx };
        let mut left = metrics_block(&column, &pairs, sizes, ts);
        let right = metrics_block(&column, &singles, sizes, ts);
        for mut item in right.items {
            item.translate(half + gutter, 0.0);
            left.items.push(item);
        }
        left.height = left.height.max(right.height);
        left.width = ctx.width;
        return left;
    }
    let mut items = Vec::new();
    let mut y = 0.0;
    let mut index = 0;
    while index < metrics.len() {
        if index > 0 {
            y += sizes.gap * 0.8;
        }
        match &metrics[index].value {
            MetricValue::Compare { .. } => {
                let run =
                    metrics[index..].iter().take_while(|m| matches!(m.value, MetricValue::Compare { .. })).count();
                y += compare_metrics(ctx, &metrics[index..index + run], sizes, ts, &mut items, y);
                index += run;
            }
            MetricValue::Single(_) => {
                let run = metrics[index..].iter().take_while(|m| matches!(m.value, MetricValue::Single(_))).count();
                y += single_metrics(ctx, &metrics[index..index + run], sizes, ts, &mut items, y);
                index += run;
            }
        }
    }
    Block {
        name: Metrics::KEY,
        pos: metrics.first().map(|m| m.pos).unwrap_or_default(),
        items,
        width: ctx.width,
        height: y,
        gap_before: 0.0,
    }
}
/// Row lengths for `n` items in at most `columns` columns: as few rows as that allows, their
/// lengths differing by at most one, the shorter rows first (three in two columns: one over two).
fn balanced_rows(n: usize, columns: usize) -> Vec<usize> {
    let rows = n.div_ceil(columns.max(1)).max(1);
    let (base, longer) = (n / rows, n % rows);
    (0..rows).map(|r| base + usize::from(r >= rows - longer)).collect()
}

/// Before/after pairs: one under the other on portrait; where the slide allows columns, side by
/// side in balanced rows (each pair's bars on its own scale, as one pair alone), rows centred.
fn compare_metrics(
    ctx: &Ctx,
    metrics: &[Metric],
    sizes: &Sizes,
    ts: &mut Typesetter,
    items: &mut Vec<Item>,
    top: f32,
) -> f32 {
    let gutter = 48.0 * ctx.s;
    let min_column = 340.0 * ctx.s;
    let fit = ((ctx.width + gutter) / (min_column + gutter)).floor().max(1.0) as usize;
    let columns = if ctx.columns { fit.min(metrics.len()).clamp(1, 3) } else { 1 };
    let lengths = balanced_rows(metrics.len(), columns);
    let widest = lengths.iter().copied().max().unwrap_or(1);
    let column_width = (ctx.width - gutter * (widest as f32 - 1.0)) / widest as f32;
    let column = Ctx { width: column_width, ..*ctx };
    let change_size = change_size(&column, metrics, sizes, ts);
    let mut y = top;
    let mut rest = metrics;
    for (row, length) in lengths.into_iter().enumerate() {
        if row > 0 {
            y += sizes.gap * 0.8;
        }
        let (these, after) = rest.split_at(length.min(rest.len()));
        rest = after;
        let row_width = these.len() as f32 * column_width + (these.len().max(1) as f32 - 1.0) * gutter;
        let x0 = (ctx.width - row_width) / 2.0;
        // Pairs side by side share their bands: the changes, the labels and the bars each start
        // on one line across the row, as a designer's grid would have them.
        let heads: Vec<_> = these.iter().map(|metric| compare_heads(&column, metric, sizes, ts, change_size)).collect();
        let mut bands = Bands { change: 0.0, label: 0.0 };
        for (change, label) in &heads {
            bands.change = bands.change.max(change.as_ref().map_or(0.0, |c| c.height));
            bands.label = bands.label.max(label.height);
        }
        let mut height: f32 = 0.0;
        for (i, (metric, head)) in these.iter().zip(heads).enumerate() {
            let mut own = Vec::new();
            height = height.max(compare_metric(&column, metric, head, sizes, ts, &mut own, y, &bands));
            for mut item in own {
                item.translate(x0 + i as f32 * (column_width + gutter), 0.0);
                items.push(item);
            }
        }
        y += height;
    }
    y - top
}

/// The heights a row of pairs shares: its changes' band and its labels' band.
struct Bands {
    change: f32,
    label: f32,
}

/// The smallest share of its size a change called out is set at to keep to one line.
const CHANGE_SHRINK: f32 = 0.7;

/// The size of the changes called out in a block of pairs: the designed size, or smaller (down
/// to [`CHANGE_SHRINK`] of it) so that every change keeps to one line in its column, all at one
/// size, so that "2.6x lower" beside "-3%" does not break into two lines where the other holds one.
fn change_size(column: &Ctx, metrics: &[Metric], sizes: &Sizes, ts: &mut Typesetter) -> f32 {
    let designed = 84.0 * column.s * sizes.f.max(0.6);
    let widest = metrics
        .iter()
        .filter_map(|m| match &m.value {
            MetricValue::Compare { change: Some(change), .. } => Some(change.text(column.words)),
            _ => None,
        })
        .map(|change| set_plain(ts, &change, &change_style(column.theme, designed, column.theme.text), 1.0e6).width)
        .fold(0.0, f32::max);
    if widest <= column.width {
        designed
    } else {
        designed * (column.width / widest).max(CHANGE_SHRINK)
    }
}

fn change_style(theme: &Theme, size: f32, tone: Color) -> TextStyle {
    TextStyle { weight: 800, line_height: 1.05, letter_spacing: -0.02, ..style(theme, Family::Title, size, tone) }
}

/// A pair's change, set at the block's change size, and its label.
fn compare_heads(
    ctx: &Ctx,
    metric: &Metric,
    sizes: &Sizes,
    ts: &mut Typesetter,
    change_size: f32,
) -> (Option<TextBlock>, TextBlock) {
    let theme = ctx.theme;
    let (change, tone) = match &metric.value {
        MetricValue::Compare { change, better, .. } => (change.as_ref(), tone_of(theme, *better)),
        MetricValue::Single(_) => (None, theme.accent),
    };
    let label_style = TextStyle {
        weight: 600,
        line_height: 1.25,
        ..style(theme, Family::Sans, (sizes.body * 0.9).max(28.0 * ctx.s), theme.muted)
    };
    let label = set_plain(ts, &metric.label.value, &label_style, ctx.width);
    let change =
        change.map(|change| set_plain(ts, &change.text(ctx.words), &change_style(theme, change_size, tone), ctx.width));
    (change, label)
}

fn tone_of(theme: &Theme, better: Option<bool>) -> Color {
    match better {
        Some(true) => theme.good,
        Some(false) => theme.bad,
        None => theme.accent,
    }
}

/// A before/after pair: the change called out large, the label (both set by [`compare_heads`]),
/// then two bars on one scale, each starting on its band of the row.
#[allow(clippy::too_many_arguments)]
fn compare_metric(
    ctx: &Ctx,
    metric: &Metric,
    (change, label): (Option<TextBlock>, TextBlock),
    sizes: &Sizes,
    ts: &mut Typesetter,
    items: &mut Vec<Item>,
    top: f32,
    bands: &Bands,
) -> f32 {
    let MetricValue::Compare { before, after, bars, better, .. } = &metric.value else { return 0.0 };
    let theme = ctx.theme;
    let s = ctx.s;
    let f = sizes.f.max(0.6);
    let tone = tone_of(theme, *better);
    let mut y = top;
    if let Some(text) = &change {
        push_text(items, text, 0.0, y, None);
    }
    if bands.change > 0.0 {
        y += bands.change + 6.0 * s;
    }
    push_text(items, &label, 0.0, y, None);
    y += bands.label.max(label.height) + 18.0 * s;
    let caption_style =
        TextStyle { weight: 600, line_height: 1.0, ..style(theme, Family::Sans, 24.0 * s, theme.muted) };
    // Room for the longer caption, in every language ("Después", "बाद में").
    let widest_caption = [ctx.words.before, ctx.words.after]
        .iter()
        .map(|caption| set_plain(ts, caption, &caption_style, 1.0e6).width)
        .fold(0.0, f32::max);
    let caption_width = (120.0 * s).max(widest_caption + 20.0 * s);
    let track = ctx.width - caption_width;
    let bar_height = 60.0 * s * f.max(0.85);
    let value_size = (bar_height * 0.5).max(24.0 * s);
    let rows = [
        (ctx.words.before, &before.value, bars.0, theme.muted.mix(theme.background, 0.55)),
        (ctx.words.after, &after.value, bars.1, tone),
    ];
    for (row, (caption, value, fraction, fill)) in rows.into_iter().enumerate() {
        if row > 0 {
            y += 14.0 * s;
        }
        let caption_text = set_plain(ts, caption, &caption_style, caption_width);
        let caption_baseline_shift = bar_height / 2.0 + 24.0 * s * 0.36;
        place_line(items, &caption_text, 0.0, y + caption_baseline_shift);
        // At its true length: a bar that is 5% of the other is drawn so, down to a sliver that
        // still shows there is one, never widened to a size that would tell another ratio.
        let length = (fraction * track).max(6.0 * s);
        items.push(Item::Rect {
            rect: Rect { x: caption_width, y, width: length, height: bar_height },
            radius: (bar_height * 0.22).min(length / 2.0),
            fill,
            opacity: 1.0,
        });
        let value_style =
            TextStyle { weight: 800, line_height: 1.0, ..style(theme, Family::Sans, value_size, ink_on(theme, fill)) };
        let mut value_text = set_plain(ts, value, &value_style, track);
        let inside = value_text.width + value_size * 1.2 <= length;
        let x = if inside {
            caption_width + length - value_text.width - value_size * 0.6
        } else {
            value_text = set_plain(ts, value, &TextStyle { color: theme.text, ..value_style }, track);
            caption_width + length + value_size * 0.5
        };
        place_line(items, &value_text, x, y + bar_height / 2.0 + value_size * 0.36);
        y += bar_height;
    }
    y - top
}

/// Single values as cards: a big number over its label, in balanced rows.
///
/// As many columns as the width holds with every value on one line (at most four); the cards
/// are then dealt into rows whose lengths differ by at most one, the shorter rows first and
/// centred: three cards make one row of three or one over two, never two and an orphan.
fn single_metrics(
    ctx: &Ctx,
    metrics: &[Metric],
    sizes: &Sizes,
    ts: &mut Typesetter,
    items: &mut Vec<Item>,
    top: f32,
) -> f32 {
    let theme = ctx.theme;
    let s = ctx.s;
    let f = sizes.f.max(0.6);
    let gutter = 24.0 * s;
    let pad = 32.0 * s;
    let values: Vec<&str> = metrics
        .iter()
        .filter_map(|m| match &m.value {
            MetricValue::Single(v) => Some(v.value.as_str()),
            MetricValue::Compare { .. } => None,
        })
        .collect();
    let n = values.len().max(1);
    let value_style = |columns: usize| big_number(theme, [120.0, 88.0, 76.0, 68.0][columns.clamp(1, 4) - 1] * s * f);
    let card_width_for = |columns: usize| (ctx.width - gutter * (columns as f32 - 1.0)) / columns as f32;
    let min_card = 240.0 * s;
    let label_style = TextStyle {
        weight: 500,
        line_height: 1.25,
        ..style(theme, Family::Sans, (sizes.body * 0.8).max(26.0 * s), theme.muted)
    };
    let labels: Vec<&str> =
        metrics.iter().filter(|m| matches!(m.value, MetricValue::Single(_))).map(|m| m.label.value.as_str()).collect();
    // A card reads at a glance while its number is on one line and its label on two at most:
    // narrower than that, the cards go fewer to a row.
    let mut columns = n.min(4);
    while columns > 1 {
        let inner = card_width_for(balanced_rows(n, columns).into_iter().max().unwrap_or(1)) - 2.0 * pad;
        let style = value_style(columns);
        let fits = card_width_for(columns) >= min_card
            && values.iter().all(|v| ts.measure(&markup::parse_inline(v), &style) <= inner)
            && labels.iter().all(|l| set_plain(ts, l, &label_style, inner).lines.len() <= LABEL_LINES);
        if fits {
            break;
        }
        columns -= 1;
    }
    // Three that do not fit across read better as a list than as one card over two.
    if n > 1 && (columns == 1 || (n == 3 && columns < 3)) {
        return metric_rows(ctx, metrics, sizes, ts, items, top);
    }
    let lengths = balanced_rows(n, columns);
    let widest = lengths.iter().copied().max().unwrap_or(1);
    let card_width = card_width_for(widest);
    let value_style = value_style(widest);
    let mut y = top;
    let mut rest = metrics;
    for length in lengths {
        let (row, after) = rest.split_at(length.min(rest.len()));
        rest = after;
        let mut cards = Vec::new();
        for metric in row {
            let MetricValue::Single(value) = &metric.value else { continue };
            let value_text = set_plain(ts, &value.value, &value_style, card_width - 2.0 * pad);
            let label_text = set_plain(ts, &metric.label.value, &label_style, card_width - 2.0 * pad);
            cards.push((value_text, label_text));
        }
        let card_height = cards.iter().map(|(v, l)| v.height + l.height + 10.0 * s).fold(0.0, f32::max) + 2.0 * pad;
        let row_width = cards.len() as f32 * card_width + (cards.len().max(1) as f32 - 1.0) * gutter;
        let x0 = (ctx.width - row_width) / 2.0;
        for (column, (value_text, label_text)) in cards.iter().enumerate() {
            let x = x0 + column as f32 * (card_width + gutter);
            push_card(items, theme, Rect { x, y, width: card_width, height: card_height }, s, pad);
            push_text(items, value_text, x + pad, y + pad, None);
            push_text(items, label_text, x + pad, y + pad + value_text.height + 10.0 * s, None);
        }
        y += card_height + gutter;
    }
    y - gutter - top
}

/// A value's big number, in the title face and the accent.
fn big_number(theme: &Theme, size: f32) -> TextStyle {
    TextStyle {
        weight: 800,
        line_height: 1.05,
        letter_spacing: -0.02,
        ..style(theme, Family::Title, size, theme.accent)
    }
}

/// A value's card: the surface, and the accent's bar down its left edge inside the padding.
fn push_card(items: &mut Vec<Item>, theme: &Theme, card: Rect, s: f32, pad: f32) {
    items.push(Item::Rect { rect: card, radius: 24.0 * s, fill: theme.surface, opacity: 1.0 });
    items.push(Item::Rect {
        rect: Rect { x: card.x, y: card.y + pad, width: 6.0 * s, height: card.height - 2.0 * pad },
        radius: 3.0 * s,
        fill: theme.accent,
        opacity: 1.0,
    });
}

/// The most lines a card's label may take before the cards go fewer to a row.
const LABEL_LINES: usize = 2;

/// Single values that do not fit side by side as cards, one row each: the number in a column of
/// its own on the left, the numbers aligned, each label beside its number.
fn metric_rows(
    ctx: &Ctx,
    metrics: &[Metric],
    sizes: &Sizes,
    ts: &mut Typesetter,
    items: &mut Vec<Item>,
    top: f32,
) -> f32 {
    let theme = ctx.theme;
    let s = ctx.s;
    let f = sizes.f.max(0.6);
    let gap = 20.0 * s;
    let pad = 32.0 * s;
    let value_style = big_number(theme, 88.0 * s * f);
    let label_style = TextStyle {
        weight: 500,
        line_height: 1.25,
        ..style(theme, Family::Sans, (sizes.body * 0.9).max(26.0 * s), theme.text)
    };
    let singles: Vec<(&str, &str)> = metrics
        .iter()
        .filter_map(|m| match &m.value {
            MetricValue::Single(v) => Some((v.value.as_str(), m.label.value.as_str())),
            MetricValue::Compare { .. } => None,
        })
        .collect();
    let inner = ctx.width - 2.0 * pad;
    // The number's column: as wide as the widest number, up to half the card.
    let column = singles
        .iter()
        .map(|(value, _)| ts.measure(&markup::parse_inline(value), &value_style))
        .fold(0.0, f32::max)
        .min(inner / 2.0);
    let between = 36.0 * s;
    let label_width = inner - column - between;
    let mut y = top;
    for (value, label) in singles {
        let value_text = set_plain(ts, value, &value_style, column.max(1.0));
        let label_text = set_plain(ts, label, &label_style, label_width.max(1.0));
        let card_height = value_text.height.max(label_text.height) + 2.0 * pad;
        push_card(items, theme, Rect { x: 0.0, y, width: ctx.width, height: card_height }, s, pad);
        let middle = y + card_height / 2.0;
        push_text(items, &value_text, pad, middle - value_text.height / 2.0, None);
        push_text(items, &label_text, pad + column + between, middle - label_text.height / 2.0, None);
        y += card_height + gap;
    }
    y - gap - top
}

/// A number with a unit, as written in a metric.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Quantity {
    value: f64,
    unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    /// Seconds times the factor.
    Time(f64),
    /// Bytes times the factor.
    Bytes(f64),
    /// Anything else, compared only with the same spelling (hashed to keep `Copy`).
    Other(u64),
}

impl Unit {
    /// Durations and sizes improve by going down; for anything else the deck must say.
    fn lower_is_better(self) -> Option<bool> {
        matches!(self, Unit::Time(_) | Unit::Bytes(_)).then_some(true)
    }
}

impl Quantity {
    fn parse(text: &str) -> Option<Quantity> {
        let text = text.trim();
        let start = text.find(|c: char| c.is_ascii_digit())?;
        let prefix = text[..start].trim();
        if !prefix.is_empty()
            && !prefix.chars().all(|c| matches!(c, '$' | '€' | '£' | '¥' | '~' | '≈' | '+' | '-' | '<' | '>'))
        {
            return None;
        }
        let rest = &text[start..];
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '_')).unwrap_or(rest.len());
        let number: f64 = rest[..end].replace([',', '_'], "").parse().ok()?;
        let negative = prefix.contains('-');
        let suffix = rest[end..].trim();
        let unit = match suffix.to_lowercase().as_str() {
            "ns" => Unit::Time(1e-9),
            "us" | "µs" | "μs" => Unit::Time(1e-6),
            "ms" => Unit::Time(1e-3),
            "s" | "sec" | "secs" | "seconds" | "second" => Unit::Time(1.0),
            "min" | "mins" | "minutes" | "minute" => Unit::Time(60.0),
            "h" | "hr" | "hrs" | "hours" | "hour" => Unit::Time(3600.0),
            "d" | "days" | "day" => Unit::Time(86400.0),
            "b" | "bytes" => Unit::Bytes(1.0),
            "kb" => Unit::Bytes(1e3),
            "mb" => Unit::Bytes(1e6),
            "gb" => Unit::Bytes(1e9),
            "tb" => Unit::Bytes(1e12),
            "kib" => Unit::Bytes(1024.0),
            "mib" => Unit::Bytes(1_048_576.0),
            "gib" => Unit::Bytes(1_073_741_824.0),
            other => {
                if other.chars().count() > 16 {
                    return None;
                }
                let currency = prefix.chars().find(|c| matches!(c, '$' | '€' | '£' | '¥'));
                Unit::Other(fnv(&format!("{}{other}", currency.map(String::from).unwrap_or_default())))
            }
        };
        Some(Quantity { value: if negative { -number } else { number }, unit })
    }

    fn in_base_unit(&self) -> Option<f64> {
        Some(match self.unit {
            Unit::Time(f) | Unit::Bytes(f) => self.value * f,
            Unit::Other(_) => self.value,
        })
    }

    fn in_base_unit_like(&self, other: &Quantity) -> Option<f64> {
        match (self.unit, other.unit) {
            (Unit::Time(_), Unit::Time(_)) | (Unit::Bytes(_), Unit::Bytes(_)) => self.in_base_unit(),
            (Unit::Other(a), Unit::Other(b)) if a == b => Some(self.value),
            _ => None,
        }
    }
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// "20x faster", "3.5x smaller", "+75%" ...: the change from `before` to `after`.
fn describe_change(before: f64, after: f64, unit: Unit) -> Option<Change> {
    if before <= 0.0 || after <= 0.0 || before == after {
        return None;
    }
    let ratio = before.max(after) / before.min(after);
    let went_down = after < before;
    let trend = match (unit, went_down) {
        (Unit::Time(_), true) => Trend::Faster,
        (Unit::Time(_), false) => Trend::Slower,
        (Unit::Bytes(_), true) => Trend::Smaller,
        (Unit::Bytes(_), false) => Trend::Larger,
        (Unit::Other(_), true) => Trend::Lower,
        (Unit::Other(_), false) => Trend::Higher,
    };
    if ratio < 1.5 {
        let percent = ((after - before) / before * 100.0).round();
        return Some(Change::Percent(format!("{}{}%", if percent > 0.0 { "+" } else { "" }, percent)));
    }
    let ratio_text = if ratio >= 10.0 {
        format!("{}", ratio.round())
    } else {
        format!("{:.1}", ratio).trim_end_matches(".0").to_string()
    };
    Some(Change::Ratio { ratio: ratio_text, trend })
}

/// Which way a metric improves.
pub static DIRECTIONS: Names =
    Names { names: || DIRECTION_NAMES.to_vec(), aliases: no_aliases, loose_separators: false, blank_ok: false };

/// A metric.
pub static METRIC: Mapping = Mapping {
    what: "a metric",
    doc: "Either {label, value}, or {label, before, after} with optional change and better.",
    keys: &[
        Key {
            name: "label",
            doc: "What was measured.",
            required: true,
            shape: Shape::Text { max: limits::MAX_NAME_CHARS },
        },
        Key {
            name: "value",
            doc: "A big number over its label, as written (\"87%\").",
            required: false,
            shape: Shape::Text { max: limits::MAX_METRIC_CHARS },
        },
        Key {
            name: "before",
            doc: "A number with an optional unit: 4000ms, 4s, 1.5GB, 87%, $1,200. Times and sizes convert.",
            required: false,
            shape: Shape::Text { max: limits::MAX_METRIC_CHARS },
        },
        Key {
            name: "after",
            doc: "A number in the same kind of unit as `before`.",
            required: false,
            shape: Shape::Text { max: limits::MAX_METRIC_CHARS },
        },
        Key {
            name: "change",
            doc: "Your own words for the change, replacing the computed one (\"20x faster\").",
            required: false,
            shape: Shape::Text { max: limits::MAX_CHANGE_CHARS },
        },
        Key {
            name: "better",
            doc: "Which way is an improvement: lower or higher. Times and sizes know (lower); \
                  otherwise the change is drawn in the accent.",
            required: false,
            shape: Shape::Name(&DIRECTIONS),
        },
    ],
    rule: Rule::OneGroup(&[&["value"], &["before", "after"]]),
};

/// The `metrics:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "metrics",
    doc: "Up to 4 numbers: {label, before, after} drawn as two bars with the change called out, \
          or {label, value} drawn as a big number.",
    required: false,
    shape: Shape::List { min: 0, max: limits::MAX_METRICS, item: &Shape::Map(&METRIC) },
};

#[cfg(test)]
mod tests {
    #[test]
    fn grids_balance_without_orphans() {
        use super::balanced_rows;
        assert_eq!(balanced_rows(3, 3), vec![3]);
        assert_eq!(balanced_rows(3, 2), vec![1, 2], "one over two, never two and an orphan");
        assert_eq!(balanced_rows(4, 2), vec![2, 2]);
        assert_eq!(balanced_rows(4, 3), vec![2, 2], "two by two rather than three and one");
        assert_eq!(balanced_rows(4, 4), vec![4]);
        assert_eq!(balanced_rows(5, 4), vec![2, 3]);
        assert_eq!(balanced_rows(1, 4), vec![1]);
    }

    use super::*;

    /// The "after" bar of a pair whose after is `fraction` of its before, on the reference slide.
    fn after_bar(fraction: f32) -> f32 {
        let theme = crate::design::theme::Theme::built_in("midnight").unwrap();
        // A narrow column (a pair of pairs on a wide slide): where a minimum width would lie.
        let ctx = Ctx { width: 400.0, ..Ctx::reference(&theme) };
        let at = |text: &str| Located { value: text.to_string(), pos: Pos::default() };
        let metric = Metric {
            label: at("Load"),
            value: MetricValue::Compare {
                before: at("4s"),
                after: at("x"),
                change: None,
                bars: (1.0, fraction),
                better: Some(true),
            },
            pos: Pos::default(),
        };
        let mut items = Vec::new();
        let (sizes, mut ts) = (Sizes::reference(), Typesetter::new());
        let heads = compare_heads(&ctx, &metric, &sizes, &mut ts, 84.0);
        let bands = Bands { change: 0.0, label: 0.0 };
        compare_metric(&ctx, &metric, heads, &sizes, &mut ts, &mut items, 0.0, &bands);
        let widths: Vec<f32> = items
            .iter()
            .filter_map(|i| match i {
                Item::Rect { rect, .. } => Some(rect.width),
                _ => None,
            })
            .collect();
        widths[1]
    }

    #[test]
    fn bars_keep_their_true_ratio() {
        let (twentieth, tenth) = (after_bar(0.05), after_bar(0.1));
        assert!((tenth / twentieth - 2.0).abs() < 0.05, "10x and 20x look alike: {tenth} vs {twentieth}");
        assert!(after_bar(0.0001) >= 5.0, "a tiny value is still a sliver");
    }

    #[test]
    fn changes_read_as_ratios_or_percentages() {
        let en = Words::for_language("en");
        let text = |change: Option<Change>| change.map(|c| c.text(en));
        assert_eq!(text(describe_change(4.0, 0.2, Unit::Time(1.0))).as_deref(), Some("20x faster"));
        assert_eq!(text(describe_change(100.0, 120.0, Unit::Other(0))).as_deref(), Some("+20%"));
        let he = Words::for_language("he");
        assert_eq!(describe_change(4.0, 0.2, Unit::Time(1.0)).map(|c| c.text(he)).as_deref(), Some("מהיר פי 20"));
        assert_eq!(describe_change(1.0, 1.0, Unit::Other(0)), None);
    }

    #[test]
    fn units_convert_within_their_kind() {
        let (a, b) = (Quantity::parse("4s").unwrap(), Quantity::parse("200ms").unwrap());
        assert!((b.in_base_unit_like(&a).unwrap() - 0.2).abs() < 1e-9);
        assert_eq!(Quantity::parse("20MB").unwrap().in_base_unit_like(&a), None);
        assert_eq!(Quantity::parse("$1,200").unwrap().value, 1200.0);
    }
}
