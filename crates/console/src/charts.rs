//! The weekly review's charts as inline SVG, drawn on the server with plotters: no
//! script, no image request, readable by a screen reader through the figure's caption
//! and the table beside it.

use plotters::prelude::*;

const SIZE: (u32, u32) = (640, 320);
const BAR: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
const LINE: RGBColor = RGBColor(0xb0, 0x24, 0x1b);

/// Marks the drawing as one image named by `label`, so assistive technology reads the
/// caption instead of every tick.
fn labelled(svg: String, label: &str) -> String {
    let escaped: String = label
        .chars()
        .filter(|c| !matches!(c, '"' | '<' | '>' | '&'))
        .collect();
    svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{escaped}\" "),
        1,
    )
}

/// One bar per label; an empty series draws an empty frame.
pub fn bars(label: &str, labels: &[String], values: &[i64]) -> String {
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let n = values.len().max(1) as i32;
        let top = values.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.15;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(40)
            .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(values.len().max(1))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()?;
        chart.draw_series(values.iter().enumerate().map(|(i, v)| {
            let i = i as i32;
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), *v as f64),
                ],
                BAR.filled(),
            );
            bar.set_margin(0, 0, 6, 6);
            bar
        }))?;
        root.present()?;
        Ok(())
    })();
    if let Err(e) = drawn {
        tracing::warn!(error = %e, "bar chart not drawn");
    }
    labelled(svg, label)
}

/// A line over the labels (weeks), with a point at each.
pub fn line(label: &str, labels: &[String], values: &[i64]) -> String {
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let n = values.len().max(2) as i32;
        let top = values.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.15;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(40)
            .build_cartesian_2d(0..n - 1, 0.0..top)?;
        chart
            .configure_mesh()
            .x_labels(values.len().max(2))
            .x_label_formatter(&|i| labels.get(*i as usize).cloned().unwrap_or_default())
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()?;
        let points: Vec<(i32, f64)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (i as i32, *v as f64))
            .collect();
        chart.draw_series(LineSeries::new(points.clone(), LINE.stroke_width(2)))?;
        chart.draw_series(points.into_iter().map(|p| Circle::new(p, 3, LINE.filled())))?;
        root.present()?;
        Ok(())
    })();
    if let Err(e) = drawn {
        tracing::warn!(error = %e, "line chart not drawn");
    }
    labelled(svg, label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_images_with_their_labels() {
        let svg = bars(
            "Delists by reason",
            &["out_of_stock".into(), "seasonal".into()],
            &[3, 1],
        );
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label=\"Delists by reason\""),
            "{svg}"
        );
        assert!(svg.contains("out_of_stock") && svg.contains("seasonal"));
        assert!(svg.matches("<rect").count() >= 3, "background and two bars");
        let svg = line("Trend \"8 weeks\"", &["W1".into(), "W2".into()], &[0, 2]);
        assert!(
            svg.contains("aria-label=\"Trend 8 weeks\""),
            "quotes dropped: {svg}"
        );
        assert!(svg.contains("<polyline") || svg.contains("<path"), "{svg}");
        // No style attributes: the console's Content-Security-Policy forbids inline styles.
        assert!(!svg.contains("style="), "{svg}");
    }
}
