//! A figure's timeline as inline SVG: its observations over time on a
//! labelled value axis. The axis starts at zero for figures that cannot go
//! below it (a rise from 6 million to 8 million is drawn as the third it
//! is, not as a rise from nothing) and ends at a round number above the
//! largest value; both ends are labelled in the figure's unit.

use std::fmt::Write as _;

use super::page::{date, escape};
use crate::alert::{format_compact, format_observation};
use crate::store::HistoryRow;

/// Chart size in SVG user units; the page scales it to its column.
const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 100.0;
/// Room on the left for the value labels, below for the dates.
const LEFT: f64 = 70.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 18.0;
/// The plot area between those margins.
const PLOT_WIDTH: f64 = WIDTH - LEFT - RIGHT;
const PLOT_HEIGHT: f64 = HEIGHT - TOP - BOTTOM;

/// The smallest "round" number (1, 2, 2.5 or 5 times a power of ten) at or
/// above `value`; `value` itself when it is not positive and finite.
pub(super) fn nice_ceiling(value: f64) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return value;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let candidate = step * magnitude;
        // A little slack for floating point: 200 stays 200.
        if candidate >= value * (1.0 - 1e-12) {
            return candidate;
        }
    }
    10.0 * magnitude
}

/// The value axis for `values`: from zero (or the smallest value, when one
/// is negative) to a round number above the largest.
pub(super) fn value_axis(values: &[f64]) -> (f64, f64) {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return (0.0, 1.0);
    }
    let low = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let high = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let bottom = if low >= 0.0 { 0.0 } else { -nice_ceiling(-low) };
    let top = if high > 0.0 { nice_ceiling(high) } else { 0.0 };
    if top > bottom {
        (bottom, top)
    } else {
        (bottom, bottom + 1.0)
    }
}

/// A figure's history as a line of its observations over time (by position
/// when one has no date), one circle per observation with its text as a
/// tooltip, on a value axis labelled at both ends.
pub(super) fn timeline_svg(label: &str, history: &[HistoryRow]) -> String {
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" preserveAspectRatio=\"xMinYMid meet\" role=\"img\" aria-label=\"{}\">",
        escape(label)
    );
    let Some(latest) = history.last() else {
        svg.push_str("</svg>");
        return svg;
    };
    let xs = x_positions(history);
    let values: Vec<f64> = history.iter().map(|row| row.observation.value).collect();
    let plot = Plot::new(&xs, &values);
    axis(&mut svg, &plot, latest);
    let points: Vec<(f64, f64)> = xs
        .iter()
        .zip(&values)
        .map(|(x, y)| (plot.x(*x), plot.y(*y)))
        .collect();
    line(&mut svg, &points);
    circles(&mut svg, &points, history);
    dates(&mut svg, history, latest);
    svg.push_str("</svg>");
    svg
}

/// Each observation's place on the time axis: its date's timestamp when
/// every observation has one, else its position.
fn x_positions(history: &[HistoryRow]) -> Vec<f64> {
    let dated = history.iter().all(|row| row.observed_at.is_some());
    history
        .iter()
        .enumerate()
        .map(|(idx, row)| match row.observed_at {
            Some(at) if dated => at.timestamp() as f64,
            _ => idx as f64,
        })
        .collect()
}

/// The plot area's scales: times and values to SVG coordinates.
struct Plot {
    x_low: f64,
    x_high: f64,
    y_low: f64,
    y_high: f64,
}

impl Plot {
    fn new(xs: &[f64], values: &[f64]) -> Plot {
        let (y_low, y_high) = value_axis(values);
        Plot {
            x_low: xs.iter().copied().fold(f64::INFINITY, f64::min),
            x_high: xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            y_low,
            y_high,
        }
    }

    /// Where time (or position) `x` lands; the middle when all are one.
    fn x(&self, x: f64) -> f64 {
        LEFT + if self.x_high > self.x_low {
            (x - self.x_low) / (self.x_high - self.x_low) * PLOT_WIDTH
        } else {
            PLOT_WIDTH / 2.0
        }
    }

    /// Where value `y` lands, clamped to the axis; the middle when it is
    /// not finite.
    fn y(&self, y: f64) -> f64 {
        let fraction = if y.is_finite() {
            ((y - self.y_low) / (self.y_high - self.y_low)).clamp(0.0, 1.0)
        } else {
            0.5
        };
        TOP + PLOT_HEIGHT - fraction * PLOT_HEIGHT
    }
}

/// The axis: a line at each end, labelled in the figure's unit.
fn axis(svg: &mut String, plot: &Plot, latest: &HistoryRow) {
    let kind = latest.observation.kind;
    let unit = latest.observation.unit.as_deref();
    for (value, class) in [(plot.y_high, "axis-max"), (plot.y_low, "axis-min")] {
        let y = plot.y(value);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"#ccc\"/>\
             <text class=\"{class}\" x=\"{label_x}\" y=\"{text_y:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            escape(&format_compact(value, kind, unit)),
            x2 = WIDTH - RIGHT,
            label_x = LEFT - 4.0,
            text_y = y + 3.5,
        );
    }
}

/// The line through the observations.
fn line(svg: &mut String, points: &[(f64, f64)]) {
    let path: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = write!(
        svg,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#36c\" stroke-width=\"1.5\"/>",
        path.join(" ")
    );
}

/// One circle per observation, its text (who says it, where, when) as a
/// tooltip.
fn circles(svg: &mut String, points: &[(f64, f64)], history: &[HistoryRow]) {
    for ((x, y), row) in points.iter().zip(history) {
        let says = row
            .observation
            .claimed_by
            .as_deref()
            .map(|claimed_by| format!(", says {claimed_by}"))
            .unwrap_or_default();
        let tooltip = format!(
            "{}{says} — {} {}",
            format_observation(&(&row.observation).into()),
            row.observation.article.source,
            date(row.observed_at)
        );
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"#36c\"><title>{}</title></circle>",
            escape(tooltip.trim())
        );
    }
}

/// The first and the latest observation's dates under the time axis.
fn dates(svg: &mut String, history: &[HistoryRow], latest: &HistoryRow) {
    let first = history.first().map(|row| date(row.observed_at));
    let _ = write!(
        svg,
        "<text x=\"{LEFT}\" y=\"{bottom}\" font-size=\"11\">{}</text>\
         <text x=\"{right}\" y=\"{bottom}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
        escape(&first.unwrap_or_default()),
        escape(&date(latest.observed_at)),
        bottom = HEIGHT - 4.0,
        right = WIDTH - RIGHT,
    );
}

#[cfg(test)]
pub(super) mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::figures::Qualifier;
    use crate::store::{ArticleRef, ObservationRow};

    pub(in crate::daemon::status) fn row(value: f64, source: &str, day: Option<u32>) -> HistoryRow {
        let at = day.map(|day| {
            DateTime::parse_from_rfc3339(&format!("2025-02-{day:02}T00:00:00Z"))
                .unwrap()
                .with_timezone(&Utc)
        });
        HistoryRow {
            observation: ObservationRow {
                value,
                low: Some(value),
                high: None,
                qualifier: Qualifier::MoreThan,
                text: format!("more than {value}"),
                quote: String::new(),
                kind: crate::figures::Kind::Count,
                unit: None,
                claimed_by: None,
                article: ArticleRef {
                    url: "https://news.example/a".to_string(),
                    title: "A".to_string(),
                    source: source.to_string(),
                    published_at: at,
                },
            },
            decision: "changed".to_string(),
            claimant: String::new(),
            observed_at: at,
            revision: 0,
        }
    }

    fn circles(svg: &str) -> Vec<(f64, f64)> {
        svg.split("<circle cx=\"")
            .skip(1)
            .map(|rest| {
                let (x, rest) = rest.split_once("\" cy=\"").unwrap();
                let (y, _) = rest.split_once('"').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }

    fn axis_label(svg: &str, class: &str) -> String {
        let start = svg.find(&format!("class=\"{class}\"")).unwrap();
        let text = &svg[start..];
        let open = text.find('>').unwrap() + 1;
        let close = text.find("</text>").unwrap();
        text[open..close].to_string()
    }

    #[test]
    fn timeline_has_one_point_per_observation_oldest_left_highest_top() {
        let svg = timeline_svg(
            "w · f",
            &[row(160.0, "Daily", Some(1)), row(200.0, "Daily", Some(11))],
        );
        let coords = circles(&svg);
        assert_eq!(coords.len(), 2, "{svg}");
        assert!(coords[0].0 < coords[1].0, "{coords:?}");
        assert!(
            coords[0].1 > coords[1].1,
            "SVG y grows downwards: {coords:?}"
        );
        assert!(
            svg.contains("2025-02-01") && svg.contains("2025-02-11"),
            "{svg}"
        );
    }

    #[test]
    fn the_value_axis_starts_at_zero_and_ends_round_with_formatted_labels() {
        // 6 million → 8 million is a rise of a third, not from nothing.
        let svg = timeline_svg(
            "w · f",
            &[row(6e6, "Daily", Some(1)), row(8e6, "Daily", Some(2))],
        );
        assert_eq!(axis_label(&svg, "axis-min"), "0");
        assert_eq!(axis_label(&svg, "axis-max"), "10 million");
        let coords = circles(&svg);
        let zero_y = TOP + (HEIGHT - TOP - BOTTOM);
        let top_y = TOP;
        // 6 million sits 60 % of the way up, 8 million 80 %.
        let height = zero_y - top_y;
        assert!(
            (zero_y - coords[0].1 - 0.6 * height).abs() < 0.2,
            "{coords:?}"
        );
        assert!(
            (zero_y - coords[1].1 - 0.8 * height).abs() < 0.2,
            "{coords:?}"
        );
        let svg = timeline_svg("w · f", &[row(4e9, "Daily", Some(1))]);
        assert_eq!(axis_label(&svg, "axis-max"), "5 billion");
        assert!(!svg.contains("4000000000"), "{svg}");
        let svg = timeline_svg(
            "w · f",
            &[row(11_000.0, "D", Some(1)), row(12_000.0, "D", Some(2))],
        );
        assert_eq!(axis_label(&svg, "axis-max"), "20,000");
    }

    #[test]
    fn nice_ceilings_are_round_and_never_below_the_value() {
        for (value, nice) in [
            (200.0, 200.0),
            (201.0, 250.0),
            (160.0, 200.0),
            (12_000.0, 20_000.0),
            (0.3, 0.5),
            (7.0, 10.0),
            (4e9, 4e9 * 1.25),
        ] {
            assert_eq!(nice_ceiling(value), nice, "{value}");
        }
        assert_eq!(value_axis(&[-3.0, 4.0]), (-5.0, 5.0));
        assert_eq!(value_axis(&[0.0]), (0.0, 1.0));
        assert_eq!(value_axis(&[f64::NAN]), (0.0, 1.0));
    }

    #[test]
    fn timeline_escapes_what_feeds_wrote_and_survives_odd_input() {
        let svg = timeline_svg(
            "<b>",
            &[
                row(f64::NAN, "<script>alert(1)</script>", None),
                row(5.0, "x\"y", None),
            ],
        );
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert!(!svg.contains("NaN\""), "no NaN coordinates: {svg}");
        assert_eq!(timeline_svg("empty", &[]).matches("<circle").count(), 0);
    }

    #[test]
    fn timeline_points_say_who_claimed_each_value() {
        let mut claimed = row(11_000.0, "Daily", Some(2));
        claimed.observation.claimed_by = Some("Seoul".to_string());
        let svg = timeline_svg("w · f", &[row(10_000.0, "Daily", Some(1)), claimed]);
        assert!(
            svg.contains("<title>more than 11,000, says Seoul — Daily 2025-02-02</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("<title>more than 10,000 — Daily 2025-02-01</title>"),
            "{svg}"
        );
    }
}
