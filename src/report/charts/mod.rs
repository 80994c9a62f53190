//! Charts of a run, each drawn once per backend: SVG (inlined in report.html) and
//! PNG (linked from report.md). Text uses an embedded DejaVu Sans, so no system
//! fonts are needed.

mod batch_charts;
mod decision_effects;
mod service_levels;
mod timeline;
mod trust;
mod warnings;
mod workload;

pub use batch_charts::{CdfChart, DistributionChart, ParameterChart, VariantValues};
pub use decision_effects::DecisionEffectsChart;
pub use service_levels::ServiceLevelChart;
pub use timeline::TimelineChart;
pub use trust::TrustChart;
pub use warnings::WarningsChart;
pub use workload::WorkloadChart;

use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Chart size in pixels: readable when projected, fits an A4 page width.
pub const SIZE: (u32, u32) = (1100, 620);

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// File stem: `timeline` gives timeline.svg and timeline.png.
    fn name(&self) -> String;
    fn title(&self) -> String;
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("the embedded font is not a valid TTF")]
    Font,
    /// plotters' own error, as its message (its error types are generic over the backend).
    #[error("{0}")]
    Draw(String),
}

/// Turns any drawing error into a [`ChartError`].
pub(crate) fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

fn register_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<Result<(), ChartError>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).map_err(|_| ChartError::Font)
        })
        .clone()
}

/// Draws `chart` as PNG into `png` and returns its SVG text.
pub fn render<C: Chart>(chart: &C, png: &Path) -> Result<String, ChartError> {
    register_font()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        chart.draw(&root)?;
        root.present().map_err(err)?;
    }
    let root = BitMapBackend::new(png, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    chart.draw(&root)?;
    root.present().map_err(err)?;
    Ok(svg)
}

/// Local midnights are marked only on runs up to this many days; beyond, they
/// would crowd the chart (and bloat the SVG).
pub const MAX_MIDNIGHTS: usize = 62;

/// Hours since T+0 of each local midnight in a nation within `[0, hours]`; none on
/// runs longer than [`MAX_MIDNIGHTS`] days.
pub fn local_midnights(start_utc_s: i64, utc_offset_s: i32, hours: f64) -> Vec<f64> {
    let local0 = start_utc_s + i64::from(utc_offset_s);
    let first = (86_400 - local0.rem_euclid(86_400)) % 86_400;
    let marks: Vec<f64> = (0..).map(|d| (first + d * 86_400) as f64 / 3_600.0).take_while(|h| *h <= hours).collect();
    if marks.len() > MAX_MIDNIGHTS { Vec::new() } else { marks }
}

/// The time axis' description, naming the midnight marks when there are any.
pub(crate) fn time_axis(midnights: &[f64], nation: &str) -> String {
    if midnights.is_empty() {
        "Hours since T+0".into()
    } else {
        format!("Hours since T+0 (dashed: midnight in {nation})")
    }
}

/// A palette that stays distinct on a projector and for common colour blindness
/// (Okabe-Ito).
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// Draws the legend of the labelled series in one style for every chart.
pub(crate) fn draw_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<
        'a,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    position: SeriesLabelPosition,
) -> Result<(), ChartError> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(err)
}

/// Draws light vertical lines at local midnights, and markers for injects.
pub(crate) fn draw_time_marks<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    midnights: &[f64],
    y: (f64, f64),
) -> Result<(), ChartError> {
    for m in midnights {
        chart
            .draw_series(DashedLineSeries::new([(*m, y.0), (*m, y.1)], 4, 4, RGBColor(150, 150, 150).stroke_width(1)))
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_midnights_follow_the_offset() {
        // T+0 = 2026-03-02T00:00Z; Kavala is UTC+12, so its midnight is T+12h.
        let start = 1_772_409_600;
        assert_eq!(local_midnights(start, 12 * 3_600, 60.0), vec![12.0, 36.0, 60.0]);
        assert_eq!(local_midnights(start, 0, 30.0), vec![0.0, 24.0]);
    }
}
