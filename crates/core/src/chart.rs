//! Trend charts as standalone SVG documents, for the page (shown as `<img>`, so nothing in
//! them can run or load anything) and for exported reports alike.
//!
//! Written here rather than with plotters: plotters 0.3 on wasm32 measures text by adding a
//! `<span style=…>` to `document.body`, which a Web Worker does not have and our CSP forbids.
//! Text widths are estimated instead (labels are short: build ids, counts, severities).
//!
//! Architecture Invariant: every string from an input (build ids) is XML-escaped here.

use serde::{Deserialize, Serialize};

use crate::severity::Severity;

/// One build's numbers, summed over components.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The build's id.
    pub build: String,
    /// Open entries by severity, indexed like [`Severity::ALL`].
    pub open: [usize; 6],
    /// Entries new since the previous build (open ones).
    pub new: usize,
    /// Entries of the previous build gone in this one.
    pub fixed: usize,
}

/// A chart ready to show: its SVG and its text alternative.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    /// Title, also inside the SVG.
    pub title: String,
    /// One-sentence summary for screen readers (the page adds a data table).
    pub alt: String,
    /// The SVG document.
    pub svg: String,
}

/// Fill colours that read on light and dark backgrounds alike.
const SEVERITY_COLOURS: [&str; 6] =
    ["#c0264f", "#e0661b", "#d4a017", "#3b8fd1", "#8b95a5", "#b3b9c4"];
const TEXT: &str = "#6b7686";
const GRID: &str = "#9aa3b066";
const NEW: &str = "#c0264f";
const FIXED: &str = "#2f9e5b";

/// XML-escapes text for an element or attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The SVG as a `data:` URL for an `<img>`.
pub fn data_url(svg: &str) -> String {
    format!("data:image/svg+xml,{}", crate::explore::percent_encode(svg, b" -_./:=,;()"))
}

/// A round step so that `max` fits in about five ticks: 1, 2 or 5 times a power of ten.
pub fn tick_step(max: usize) -> usize {
    let rough = (max.max(1) as f64 / 5.0).max(1.0);
    let power = 10f64.powi(rough.log10().floor() as i32);
    let step =
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= rough).unwrap_or(rough);
    step as usize
}

/// Columns per build: each series a colour, stacked or side by side.
struct Columns<'a> {
    title: &'a str,
    builds: Vec<&'a str>,
    series: Vec<(&'a str, &'a str, Vec<usize>)>,
    stacked: bool,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 52.0;
const BOTTOM: f64 = 40.0;

impl Columns<'_> {
    fn svg(&self) -> String {
        let n = self.builds.len().max(1);
        let heights: Vec<usize> = (0..n)
            .map(|b| {
                let values = self.series.iter().map(|(_, _, v)| v.get(b).copied().unwrap_or(0));
                if self.stacked {
                    values.sum()
                } else {
                    values.max().unwrap_or(0)
                }
            })
            .collect();
        let step = tick_step(heights.iter().copied().max().unwrap_or(0));
        let ticks = heights.iter().copied().max().unwrap_or(0).div_ceil(step).max(1);
        let top_value = (ticks * step) as f64;
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let y = |v: f64| TOP + plot_h - v / top_value * plot_h;
        let slot = plot_w / n as f64;
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\
             <title>{}</title>\
             <text x=\"{LEFT}\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"{TEXT}\">{}</text>",
            escape(self.title),
            escape(self.title)
        );
        // Legend, left to right under the title.
        let mut x = LEFT;
        for (name, colour, _) in &self.series {
            s.push_str(&format!(
                "<rect x=\"{x}\" y=\"28\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{}\" y=\"37\" fill=\"{TEXT}\">{}</text>",
                x + 14.0,
                escape(name)
            ));
            x += 30.0 + 6.2 * name.chars().count() as f64;
        }
        // Axis, gridlines and tick labels.
        for t in 0..=ticks {
            let value = t * step;
            let ty = y(value as f64);
            s.push_str(&format!(
                "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\" stroke=\"{GRID}\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{TEXT}\">{value}</text>",
                WIDTH - RIGHT,
                LEFT - 6.0,
                ty + 4.0
            ));
        }
        let max_label = ((slot / 7.0) as usize).clamp(3, 14);
        for (b, build) in self.builds.iter().enumerate() {
            let x0 = LEFT + slot * b as f64;
            let bar_w = (slot * 0.6).min(48.0);
            let start = x0 + (slot - bar_w) / 2.0;
            let mut base = 0usize;
            let k = self.series.len().max(1) as f64;
            for (i, (name, colour, values)) in self.series.iter().enumerate() {
                let v = values.get(b).copied().unwrap_or(0);
                if v == 0 {
                    continue;
                }
                let (bx, bw, from) = if self.stacked {
                    (start, bar_w, base)
                } else {
                    (start + bar_w / k * i as f64, bar_w / k, 0)
                };
                let (y1, y0) = (y((from + v) as f64), y(from as f64));
                s.push_str(&format!(
                    "<rect x=\"{bx:.1}\" y=\"{y1:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{}: {v} {}</title></rect>",
                    (y0 - y1).max(0.5),
                    escape(build),
                    escape(name)
                ));
                if self.stacked {
                    base += v;
                }
            }
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text>",
                x0 + slot / 2.0,
                HEIGHT - BOTTOM + 16.0,
                escape(&crate::explore::truncate(build, max_label))
            ));
        }
        s.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{TEXT}\"/><text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"{TEXT}\">build</text></svg>",
            WIDTH - RIGHT,
            y(0.0),
            y(0.0),
            LEFT + plot_w / 2.0,
            HEIGHT - 6.0
        ));
        s
    }
}

/// Open entries per severity over builds, stacked.
pub fn open_by_severity(points: &[TrendPoint]) -> Chart {
    let title = "Open findings by severity, per build";
    let series = Severity::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), SEVERITY_COLOURS[i], points.iter().map(|p| p.open[i]).collect()))
        .collect();
    let columns = Columns {
        title,
        builds: points.iter().map(|p| p.build.as_str()).collect(),
        series,
        stacked: true,
    };
    let alt = match (points.first(), points.last()) {
        (Some(first), Some(last)) if points.len() > 1 => format!(
            "{title}: {} open in build {}, {} open in build {} ({} builds).",
            first.open.iter().sum::<usize>(),
            first.build,
            last.open.iter().sum::<usize>(),
            last.build,
            points.len()
        ),
        (Some(only), _) => {
            format!("{title}: {} open in build {}.", only.open.iter().sum::<usize>(), only.build)
        }
        _ => format!("{title}: no builds."),
    };
    Chart { title: title.into(), alt, svg: columns.svg() }
}

/// New and fixed entries per build, side by side.
pub fn new_and_fixed(points: &[TrendPoint]) -> Chart {
    let title = "New and fixed findings, per build";
    let columns = Columns {
        title,
        builds: points.iter().map(|p| p.build.as_str()).collect(),
        series: vec![
            ("new", NEW, points.iter().map(|p| p.new).collect()),
            ("fixed", FIXED, points.iter().map(|p| p.fixed).collect()),
        ],
        stacked: false,
    };
    let alt = format!(
        "{title}: {} new and {} fixed over {} builds.",
        points.iter().map(|p| p.new).sum::<usize>(),
        points.iter().map(|p| p.fixed).sum::<usize>(),
        points.len()
    );
    Chart { title: title.into(), alt, svg: columns.svg() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(tick_step(0), 1);
        assert_eq!(tick_step(4), 1);
        assert_eq!(tick_step(9), 2);
        assert_eq!(tick_step(23), 5);
        assert_eq!(tick_step(87), 20);
        assert_eq!(tick_step(1768), 500);
    }

    #[test]
    fn input_text_is_escaped_and_the_data_url_has_no_raw_markup() {
        let points = [TrendPoint {
            build: "<script>\"x\"&'".into(),
            open: [1, 2, 0, 0, 0, 0],
            new: 3,
            fixed: 0,
        }];
        let chart = open_by_severity(&points);
        assert!(!chart.svg.contains("<script>"), "{}", chart.svg);
        assert!(chart.svg.contains("&lt;script&gt;&quot;x&quot;&amp;&#39;"));
        let url = data_url(&chart.svg);
        assert!(url.starts_with("data:image/svg+xml,%3Csvg"));
        assert!(!url.contains(['<', '>', '#', '"', '\'']));
    }

    #[test]
    fn stacked_columns_are_as_tall_as_their_totals() {
        let points = [
            TrendPoint { build: "101".into(), open: [2, 3, 0, 0, 0, 0], new: 5, fixed: 0 },
            TrendPoint { build: "102".into(), open: [0, 10, 0, 0, 0, 0], new: 7, fixed: 2 },
        ];
        let svg = open_by_severity(&points).svg;
        // Max 10, step 2, plot height 168: a value of 10 is the whole plot, 2 a fifth of it.
        assert!(svg.contains("height=\"168.0\" fill=\"#e0661b\""), "{svg}");
        assert!(svg.contains("height=\"33.6\" fill=\"#c0264f\""), "{svg}");
        assert!(svg.contains("<title>102: 10 high</title>"));
        assert_eq!(open_by_severity(&points).alt, "Open findings by severity, per build: 5 open in build 101, 10 open in build 102 (2 builds).");
        assert_eq!(
            new_and_fixed(&points).alt,
            "New and fixed findings, per build: 12 new and 2 fixed over 2 builds."
        );
    }
}
