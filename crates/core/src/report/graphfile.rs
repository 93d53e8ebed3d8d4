//! Network files for Gephi and other graph tools: GEXF 1.3 and GraphML.
//!
//! Nodes are the flagged accounts, their ids the account ids (as in accounts.csv), with
//! screen name, network, operation, role, signals, coordination and inauthenticity scores and posts;
//! edges the fused coordination edges between them (weight, plus each signal's surprise). Every string comes
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
    /// The account id, XML-escaped: the node id in both files, so that a node found in
    /// Gephi is the account in accounts.csv.
    id: String,
    label: String,
    network: String,
    operation: String,
    role: &'static str,
    signals: String,
    coordination_score: f64,
    inauthenticity_score: Option<f64>,
    posts: u64,
}

fn nodes(data: &Dataset, det: &Detection) -> Vec<Node> {
    let mut posts = vec![0u64; data.accounts.len()];
    for &a in &data.posts.account {
        posts[a as usize] += 1;
    }
    (0..data.accounts.len() as u32)
        .filter_map(|a| {
            let net = det.network_of[a as usize]?;
            Some(Node {
                id: xml_escape(data.accounts.key.get(a)),
                label: xml_escape(data.strings.opt(data.accounts.screen_name[a as usize]).unwrap_or("")),
                network: xml_escape(&det.networks[net as usize].id),
                operation: det.operation_of[a as usize]
                    .map(|o| xml_escape(&det.operations[o as usize].id))
                    .unwrap_or_default(),
                role: det.role[a as usize].map_or("", |r| r.name()),
                signals: det.signal_names(a),
                coordination_score: det.coordination_score[a as usize],
                inauthenticity_score: det.indicators[a as usize].score(),
                posts: posts[a as usize],
            })
        })
        .collect()
}

/// Fused edges inside networks, with each signal's surprise, by account id.
fn edges(data: &Dataset, det: &Detection) -> Vec<(String, String, f64, Vec<Option<f64>>)> {
    det.fused_with_signals(|a, b| det.network_of[a as usize].is_some() && det.network_of[b as usize].is_some())
        .into_iter()
        .map(|(a, b, w, sig)| (xml_escape(data.accounts.key.get(a)), xml_escape(data.accounts.key.get(b)), w, sig))
        .collect()
}

/// Node attributes: (id, type) in GEXF's and GraphML's type names.
const NODE_ATTRIBUTES: [(&str, &str, &str); 7] = [
    ("network", "string", "string"),
    ("operation", "string", "string"),
    ("role", "string", "string"),
    ("signals", "string", "string"),
    ("coordination_score", "double", "double"),
    ("inauthenticity_score", "double", "double"),
    ("posts", "long", "long"),
];

impl Node {
    /// Attribute values in [`NODE_ATTRIBUTES`] order (`None`: not measurable).
    fn values(&self) -> [Option<String>; 7] {
        [
            Some(self.network.clone()),
            Some(self.operation.clone()),
            Some(self.role.to_string()),
            Some(self.signals.clone()),
            Some(format!("{:.4}", self.coordination_score)),
            self.inauthenticity_score.map(|v| format!("{v:.4}")),
            Some(self.posts.to_string()),
        ]
    }
}

/// Writes `network.gexf` (GEXF 1.3). Edge attributes are each signal's surprise (−log10 p).
pub fn write_gexf(path: &Path, data: &Dataset, det: &Detection) -> std::io::Result<()> {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n");
    s.push_str("  <meta><creator>cibscan</creator><description>coordination networks; edge attributes are each signal's surprise (-log10 p), weight the fused weight</description></meta>\n");
    s.push_str("  <graph defaultedgetype=\"undirected\" mode=\"static\">\n");
    s.push_str("    <attributes class=\"node\">\n");
    for (id, gexf_type, _) in NODE_ATTRIBUTES {
        let _ = writeln!(s, "      <attribute id=\"{id}\" title=\"{id}\" type=\"{gexf_type}\"/>");
    }
    s.push_str("    </attributes>\n    <attributes class=\"edge\">\n");
    for sig in &det.signals {
        let _ = writeln!(s, "      <attribute id=\"{0}\" title=\"{0}\" type=\"double\"/>", sig.name);
    }
    s.push_str("    </attributes>\n    <nodes>\n");
    for n in nodes(data, det) {
        let _ = write!(
            s,
            "      <node id=\"{}\" label=\"{}\"><attvalues>",
            n.id,
            if n.label.is_empty() { &n.id } else { &n.label }
        );
        for ((id, _, _), v) in NODE_ATTRIBUTES.iter().zip(n.values()) {
            if let Some(v) = v {
                let _ = write!(s, "<attvalue for=\"{id}\" value=\"{v}\"/>");
            }
        }
        s.push_str("</attvalues></node>\n");
    }
    s.push_str("    </nodes>\n    <edges>\n");
    for (i, (a, b, w, sig)) in edges(data, det).into_iter().enumerate() {
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

/// Writes `network.graphml`. Edge data are each signal's surprise (−log10 p).
pub fn write_graphml(path: &Path, data: &Dataset, det: &Detection) -> std::io::Result<()> {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
    s.push_str("  <key id=\"screen_name\" for=\"node\" attr.name=\"screen_name\" attr.type=\"string\"/>\n");
    for (id, _, graphml_type) in NODE_ATTRIBUTES {
        let _ = writeln!(s, "  <key id=\"{id}\" for=\"node\" attr.name=\"{id}\" attr.type=\"{graphml_type}\"/>");
    }
    s.push_str("  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n");
    for sig in &det.signals {
        let _ = writeln!(s, "  <key id=\"{0}\" for=\"edge\" attr.name=\"{0}\" attr.type=\"double\"/>", sig.name);
    }
    s.push_str("  <graph id=\"coordination\" edgedefault=\"undirected\">\n");
    for n in nodes(data, det) {
        let _ = write!(s, "    <node id=\"{}\"><data key=\"screen_name\">{}</data>", n.id, n.label);
        for ((id, _, _), v) in NODE_ATTRIBUTES.iter().zip(n.values()) {
            if let Some(v) = v {
                let _ = write!(s, "<data key=\"{id}\">{v}</data>");
            }
        }
        s.push_str("</node>\n");
    }
    for (a, b, w, sig) in edges(data, det) {
        let _ = write!(s, "    <edge source=\"{a}\" target=\"{b}\"><data key=\"weight\">{w:.4}</data>");
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
