//! Chart primitives: inline SVG written straight into the page (no script, no fonts, no
//! external resources). Every string from the data goes through [`E`].

use super::{civil_from_days, parse_day, thousands, E};
use crate::characterise::timeline::{TimeZoneFit, Timeline};
use std::fmt::Write as _;

pub const CORE: &str = "#d1495b";
pub const AMPLIFIER: &str = "#00798c";
pub const UNKNOWN: &str = "#98a2b3";
pub const BAR: &str = "#30638e";
pub const BURST: &str = "#edae49";
pub const REEMERGE: &str = "#7b2cbf";

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The shared definitions (the dormancy hatch), written once at the top of the body.
pub fn defs(out: &mut String) {
    out.push_str(
        "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>\
         <pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#f2f4f7\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#98a2b3\" stroke-width=\"2\"/>\
         </pattern></defs></svg>\n",
    );
}

/// A "nice" upper bound and tick step (1, 2, 5 × 10ⁿ) for values up to `max`.
pub fn nice_scale(max: f64, ticks: usize) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 1.0);
    }
    let raw = max / ticks.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|&s| s >= raw).unwrap_or(10.0 * mag).max(1.0);
    ((max / step).ceil() * step, step)
}

fn utc_offset(off: i32) -> String {
    match off {
        0 => "UTC".to_string(),
        o if o > 0 => format!("UTC+{o}"),
        o => format!("UTC\u{2212}{}", -o),
    }
}

/// `UTC+8` style label of a time-zone fit.
pub fn tz_label(tz: Option<&TimeZoneFit>) -> String {
    tz.map_or_else(|| "—".to_string(), |t| utc_offset(t.utc_offset_hours))
}

/// The daily activity of a network: a step area of posts per day, bursts shaded and
/// labelled with their peak, dormant periods hatched, re-emergence marked.
pub fn timeline(out: &mut String, tl: &Timeline) {
    let n = tl.daily.len();
    let Some(first) = tl.first_day.as_deref().and_then(parse_day).filter(|_| n > 0) else {
        out.push_str("<p class=\"muted\">No dated posts.</p>");
        return;
    };
    let (w, h) = (1140.0, 250.0);
    let (left, right, top, bottom) = (52.0, 14.0, 40.0, 26.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let max = tl.daily.iter().copied().max().unwrap_or(0) as f64;
    let (ymax, ystep) = nice_scale(max, 4);
    let x = |d: f64| left + d * pw / n as f64;
    let y = |v: f64| top + ph - v / ymax * ph;
    let day_of = |s: &str| parse_day(s).map(|d| (d - first) as f64);
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"Posts per day\">"
    );
    // Grid and y axis.
    let mut v = 0.0;
    while v <= ymax + 1e-9 {
        let yy = y(v);
        let _ = write!(
            out,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" class=\"grid\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"ax\" text-anchor=\"end\">{}</text>",
            w - right,
            left - 6.0,
            yy + 4.0,
            thousands(v as u64)
        );
        v += ystep;
    }
    // Dormant periods (behind the data).
    for dp in &tl.dormant_periods {
        let (Some(s), Some(e)) = (day_of(&dp.start), day_of(&dp.end)) else { continue };
        let (x0, x1) = (x(s), x(e + 1.0));
        let _ = write!(
            out,
            "<rect x=\"{x0:.1}\" y=\"{top}\" width=\"{:.1}\" height=\"{ph}\" fill=\"url(#hatch)\"><title>Dormant {} – {} ({} days)</title></rect>",
            (x1 - x0).max(1.0),
            E(&dp.start),
            E(&dp.end),
            dp.days
        );
        if x1 - x0 > 70.0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" class=\"lbl dim\" text-anchor=\"middle\">dormant {} d</text>",
                (x0 + x1) / 2.0,
                top + ph / 2.0,
                dp.days
            );
        }
    }
    // Bursts: shaded spans; the biggest eight get a peak label (two staggered rows).
    let mut by_size: Vec<usize> = (0..tl.bursts.len()).collect();
    by_size.sort_by(|&a, &b| tl.bursts[b].posts.cmp(&tl.bursts[a].posts).then(a.cmp(&b)));
    let mut labelled = vec![false; tl.bursts.len()];
    for &i in by_size.iter().take(8) {
        labelled[i] = true;
    }
    let mut row = 0;
    for (i, b) in tl.bursts.iter().enumerate() {
        let (Some(s), Some(e)) = (day_of(&b.start), day_of(&b.end)) else { continue };
        let (x0, x1) = (x(s), x(e + 1.0));
        let _ = write!(
            out,
            "<rect x=\"{x0:.1}\" y=\"{top}\" width=\"{:.1}\" height=\"{ph}\" fill=\"{BURST}\" fill-opacity=\".28\"><title>Burst {} – {}: {} posts (baseline {:.0}), peak {}</title></rect>",
            (x1 - x0).max(1.5),
            E(&b.start),
            E(&b.end),
            thousands(b.posts),
            b.expected,
            E(&b.peak)
        );
        if labelled[i] {
            if let Some(p) = day_of(&b.peak) {
                let px = x(p + 0.5).clamp(left + 40.0, w - right - 40.0);
                let peak_posts = tl.daily.get(p as usize).copied().unwrap_or(0);
                let ly = if row % 2 == 0 { 14.0 } else { 28.0 };
                row += 1;
                let _ = write!(
                    out,
                    "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{top}\" class=\"peak\"/><text x=\"{px:.1}\" y=\"{ly}\" class=\"lbl\" text-anchor=\"middle\">peak {} · {}</text>",
                    x(p + 0.5),
                    x(p + 0.5),
                    ly + 3.0,
                    E(b.peak.get(5..).unwrap_or(&b.peak)),
                    thousands(peak_posts)
                );
            }
        }
    }
    // The series: a step area, one path.
    let base = y(0.0);
    let _ = write!(out, "<path class=\"area\" d=\"M{:.1} {base:.1}", x(0.0));
    for (d, &c) in tl.daily.iter().enumerate() {
        let yy = y(c as f64);
        let _ = write!(out, "V{yy:.1}H{:.1}", x(d as f64 + 1.0));
    }
    let _ = write!(out, "V{base:.1}Z\"/>");
    // Re-emergence markers.
    for r in &tl.reemergence {
        let Some(d) = day_of(r) else { continue };
        let xx = x(d);
        let _ = write!(
            out,
            "<line x1=\"{xx:.1}\" x2=\"{xx:.1}\" y1=\"{top}\" y2=\"{base:.1}\" stroke=\"{REEMERGE}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\
             <path d=\"M{xx:.1} {:.1}l-5 -8h10z\" fill=\"{REEMERGE}\"><title>Re-emerged {}</title></path>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"lbl\" fill=\"{REEMERGE}\">re-emerged {}</text>",
            top + 8.0,
            E(r),
            xx + 4.0,
            top + 20.0,
            E(r.get(5..).unwrap_or(r))
        );
    }
    // X axis: ticks at weeks, months or years depending on the span.
    let _ =
        write!(out, "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{base:.1}\" y2=\"{base:.1}\" class=\"axis\"/>", w - right);
    let mut last_x = f64::MIN;
    for d in 0..=n as i64 {
        let day = first + d;
        let (yy, mm, dd) = civil_from_days(day);
        let label = if n <= 70 {
            ((day + 3).rem_euclid(7) == 0).then(|| format!("{} {dd}", MONTHS[(mm - 1) as usize]))
        } else if n <= 800 {
            (dd == 1).then(|| if mm == 1 { format!("{yy}") } else { MONTHS[(mm - 1) as usize].to_string() })
        } else if n <= 3000 {
            (dd == 1 && (mm - 1) % 3 == 0).then(|| {
                if mm == 1 {
                    format!("{yy}")
                } else {
                    MONTHS[(mm - 1) as usize].to_string()
                }
            })
        } else {
            (dd == 1 && mm == 1).then(|| format!("{yy}"))
        };
        let Some(label) = label else { continue };
        let xx = x(d as f64);
        if xx - last_x < 34.0 {
            continue;
        }
        last_x = xx;
        let _ = write!(
            out,
            "<line x1=\"{xx:.1}\" x2=\"{xx:.1}\" y1=\"{base:.1}\" y2=\"{:.1}\" class=\"axis\"/><text x=\"{xx:.1}\" y=\"{:.1}\" class=\"ax\" text-anchor=\"middle\">{label}</text>",
            base + 4.0,
            base + 17.0
        );
    }
    out.push_str("</svg>");
}

/// A small area chart of a daily series, summed into at most `w` / 2 bins.
pub fn sparkline(out: &mut String, daily: &[u64], w: f64, h: f64, color: &str) {
    let bins = ((w / 2.0) as usize).max(1).min(daily.len().max(1));
    let _ =
        write!(out, "<svg class=\"spark\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" aria-hidden=\"true\">");
    if daily.is_empty() {
        out.push_str("</svg>");
        return;
    }
    let mut sums = vec![0u64; bins];
    for (d, &c) in daily.iter().enumerate() {
        sums[d * bins / daily.len()] += c;
    }
    let max = sums.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bw = w / bins as f64;
    let _ = write!(out, "<path fill=\"{color}\" d=\"M0 {h}");
    for (i, &s) in sums.iter().enumerate() {
        let yy = h - (s as f64 / max) * (h - 1.0);
        let _ = write!(out, "V{yy:.1}H{:.1}", (i + 1) as f64 * bw);
    }
    let _ = write!(out, "V{h}Z\"/></svg>");
}

/// The hour-of-week signature in local time at the best-fit offset (UTC without one), with
/// the local office hours (Mon–Fri 09–18) outlined.
pub fn heatmap(out: &mut String, hour_of_week: &[u64], tz: Option<&TimeZoneFit>) {
    let off = tz.map_or(0, |t| t.utc_offset_hours) as i64;
    let (cw, ch, left, top) = (22.0, 20.0, 40.0, 22.0);
    let (w, h) = (left + 24.0 * cw + 4.0, top + 7.0 * ch + 4.0);
    let value = |local: i64| hour_of_week.get((local - off).rem_euclid(168) as usize).copied().unwrap_or(0);
    let max = (0..168).map(value).max().unwrap_or(0).max(1) as f64;
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"Posts by hour of week, {}\">",
        tz_label(tz)
    );
    for hour in (0..24).step_by(3) {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"14\" class=\"ax\" text-anchor=\"middle\">{hour:02}</text>",
            left + (hour as f64 + 0.5) * cw
        );
    }
    for (day, name) in WEEKDAYS.iter().enumerate() {
        let yy = top + day as f64 * ch;
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"ax\" text-anchor=\"end\">{name}</text>",
            left - 6.0,
            yy + 14.0
        );
        for hour in 0..24 {
            let local = 24 * day as i64 + hour;
            let v = value(local);
            let t = (v as f64 / max).sqrt();
            // From near-white to deep blue.
            let r = (244.0 - t * (244.0 - 29.0)) as u8;
            let g = (246.0 - t * (246.0 - 59.0)) as u8;
            let b = (251.0 - t * (251.0 - 114.0)) as u8;
            let utc = (local - off).rem_euclid(168);
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{yy:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#{r:02x}{g:02x}{b:02x}\"><title>{name} {hour:02}:00 local ({} {:02}:00 UTC): {} posts</title></rect>",
                left + hour as f64 * cw,
                cw - 1.0,
                ch - 1.0,
                WEEKDAYS[(utc / 24) as usize],
                utc % 24,
                thousands(v)
            );
        }
    }
    let _ = write!(
        out,
        "<rect x=\"{:.1}\" y=\"{top}\" width=\"{:.1}\" height=\"{:.1}\" class=\"office\"/></svg>",
        left + 9.0 * cw - 0.5,
        9.0 * cw,
        5.0 * ch - 0.5
    );
}

/// Horizontal bars with a label and value per row (labels are escaped here).
pub fn hbars(out: &mut String, rows: &[(String, u64)], color: &str, label_width: f64) {
    let (bh, gap, w) = (16.0, 5.0, 460.0);
    let h = rows.len() as f64 * (bh + gap) + 4.0;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let bar_w = w - label_width - 70.0;
    let _ = write!(out, "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\">");
    for (i, (label, v)) in rows.iter().enumerate() {
        let yy = i as f64 * (bh + gap) + 2.0;
        let bw = (*v as f64 / max * bar_w).max(1.0);
        let shown: String = label.chars().take(28).collect();
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"ax\" text-anchor=\"end\">{}</text><rect x=\"{label_width}\" y=\"{yy:.1}\" width=\"{bw:.1}\" height=\"{bh}\" rx=\"2\" fill=\"{color}\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" class=\"ax\">{}</text>",
            label_width - 6.0,
            yy + 12.0,
            E(&shown),
            E(label),
            thousands(*v),
            label_width + bw + 5.0,
            yy + 12.0,
            thousands(*v)
        );
    }
    out.push_str("</svg>");
}

/// A two-part horizontal bar (e.g. engagement from inside vs outside).
pub fn split_bar(out: &mut String, share: f64, left_color: &str, right_color: &str) {
    let s = share.clamp(0.0, 1.0) * 300.0;
    let _ = write!(
        out,
        "<svg class=\"splitbar\" viewBox=\"0 0 300 14\" width=\"300\" height=\"14\" aria-hidden=\"true\"><rect width=\"{s:.1}\" height=\"14\" fill=\"{left_color}\"/><rect x=\"{s:.1}\" width=\"{:.1}\" height=\"14\" fill=\"{right_color}\"/></svg>",
        300.0 - s
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_scales() {
        assert_eq!(nice_scale(0.0, 4), (1.0, 1.0));
        assert_eq!(nice_scale(3.0, 4), (3.0, 1.0));
        assert_eq!(nice_scale(97.0, 4), (100.0, 50.0));
        let (m, s) = nice_scale(1234.0, 4);
        assert!(m >= 1234.0 && s > 0.0 && (m / s) <= 5.0);
    }
}
