//! Network files for Gephi and other graph tools: GEXF 1.3 and GraphML.
//!
//! Nodes are the flagged accounts (with screen name, network and signals), edges the fused
//! coordination edges between them (weight, plus each signal's surprise). Every string comes
//! from the data, which adversaries write: it is XML-escaped, and characters XML 1.0 forbids
//! (most control characters) are dropped so the file always parses.

use crate::pipeline::Detection;
use crate::Dataset;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// Text safe inside XML attributes and elements.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

struct Node {
    idx: u32,
    id: String,
    label: String,
    network: String,
    signals: String,
}

fn nodes(data: &Dataset, det: &Detection) -> Vec<Node> {
    (0..data.accounts.len() as u32)
        .filter_map(|a| {
            let net = det.network_of[a as usize]?;

            Some(Node {
                idx: a,
                id: xml_escape(data.accounts.key.get(a)),
                label: xml_escape(data.strings.opt(data.accounts.screen_name[a as usize]).unwrap_or("")),
                network: xml_escape(&det.networks[net as usize].id),
                signals: det.signal_names(a),
            })
        })
        .collect()
}

/// Fused edges inside networks, with each signal's surprise.
fn edges(det: &Detection) -> Vec<(u32, u32, f64, Vec<Option<f64>>)> {
    det.fused_with_signals(|a, b| det.network_of[a as usize].is_some() && det.network_of[b as usize].is_some())
}

/// Writes `network.gexf` (GEXF 1.3).
pub fn write_gexf(path: &Path, data: &Dataset, det: &Detection) -> std::io::Result<()> {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n");
    s.push_str("  <meta><creator>cibscan</creator><description>coordination networks</description></meta>\n");
    s.push_str("  <graph defaultedgetype=\"undirected\" mode=\"static\">\n");
    s.push_str("    <attributes class=\"node\">\n");
    s.push_str("      <attribute id=\"network\" title=\"network\" type=\"string\"/>\n");
    s.push_str("      <attribute id=\"signals\" title=\"signals\" type=\"string\"/>\n");
    s.push_str("    </attributes>\n    <attributes class=\"edge\">\n");
    for sig in &det.signals {
        let _ = writeln!(s, "      <attribute id=\"{0}\" title=\"{0}\" type=\"double\"/>", sig.name);
    }
    s.push_str("    </attributes>\n    <nodes>\n");
    for n in nodes(data, det) {
        let _ = writeln!(
            s,
            "      <node id=\"{}\" label=\"{}\"><attvalues><attvalue for=\"network\" value=\"{}\"/><attvalue for=\"signals\" value=\"{}\"/></attvalues></node>",
            n.idx, if n.label.is_empty() { &n.id } else { &n.label }, n.network, n.signals
        );
    }
    s.push_str("    </nodes>\n    <edges>\n");
    for (i, (a, b, w, sig)) in edges(det).into_iter().enumerate() {
        let _ = write!(s, "      <edge id=\"{i}\" source=\"{a}\" target=\"{b}\" weight=\"{w:.4}\"><attvalues>");
        for (k, v) in sig.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(s, "<attvalue for=\"{}\" value=\"{v:.2}\"/>", det.signals[k].name);
            }
        }
        s.push_str("</attvalues></edge>\n");
    }
    s.push_str("    </edges>\n  </graph>\n</gexf>\n");
    std::fs::File::create(path)?.write_all(s.as_bytes())
}

/// Writes `network.graphml`.
pub fn write_graphml(path: &Path, data: &Dataset, det: &Detection) -> std::io::Result<()> {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
    s.push_str("  <key id=\"account_id\" for=\"node\" attr.name=\"account_id\" attr.type=\"string\"/>\n");
    s.push_str("  <key id=\"screen_name\" for=\"node\" attr.name=\"screen_name\" attr.type=\"string\"/>\n");
    s.push_str("  <key id=\"network\" for=\"node\" attr.name=\"network\" attr.type=\"string\"/>\n");
    s.push_str("  <key id=\"signals\" for=\"node\" attr.name=\"signals\" attr.type=\"string\"/>\n");
    s.push_str("  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n");
    for sig in &det.signals {
        let _ = writeln!(s, "  <key id=\"{0}\" for=\"edge\" attr.name=\"{0}\" attr.type=\"double\"/>", sig.name);
    }
    s.push_str("  <graph id=\"coordination\" edgedefault=\"undirected\">\n");
    for n in nodes(data, det) {
        let _ = writeln!(
            s,
            "    <node id=\"n{}\"><data key=\"account_id\">{}</data><data key=\"screen_name\">{}</data><data key=\"network\">{}</data><data key=\"signals\">{}</data></node>",
            n.idx, n.id, n.label, n.network, n.signals
        );
    }
    for (a, b, w, sig) in edges(det) {
        let _ = write!(s, "    <edge source=\"n{a}\" target=\"n{b}\"><data key=\"weight\">{w:.4}</data>");
        for (k, v) in sig.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(s, "<data key=\"{}\">{v:.2}</data>", det.signals[k].name);
            }
        }
        s.push_str("</edge>\n");
    }
    s.push_str("  </graph>\n</graphml>\n");
    std::fs::File::create(path)?.write_all(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adversarial_text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            xml_escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;"
        );
        assert_eq!(xml_escape("a\u{1}b\u{1b}c\nd"), "abc\nd");
        assert_eq!(xml_escape("香港 Россия"), "香港 Россия");
    }
}
