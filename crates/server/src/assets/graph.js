// The network page's graph view: accounts laid out by the server (the report's layout),
// drawn on a canvas so that 5,000 accounts and their strongest edges stay fluid to pan and
// zoom. Text from the data is only ever set with textContent, never parsed as HTML.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box) return;
  var canvas = box.querySelector("canvas");
  var tip = box.querySelector(".tip");
  var ctx = canvas.getContext("2d");
  var colors = { core: "#d1495b", amplifier: "#00798c", attributed: "#7c3aed", excluded: "#98a2b3" };
  var data = null, view = { x: 0, y: 0, k: 1 }, drag = null, hover = -1, queued = false;
  var grid = null, cell = 20; // spatial index of node positions, for hover and click

  function size() {
    var r = box.getBoundingClientRect(), d = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(r.width * d));
    canvas.height = Math.max(1, Math.round(r.height * d));
    ctx.setTransform(d, 0, 0, d, 0, 0);
  }
  function fit() {
    var r = box.getBoundingClientRect();
    view.k = Math.min(r.width, r.height) / 1000;
    view.x = (r.width - 1000 * view.k) / 2;
    view.y = (r.height - 1000 * view.k) / 2;
  }
  function color(n) {
    if (n.excluded) return colors.excluded;
    if (n.attributed) return colors.attributed;
    return colors[n.role] || colors.excluded;
  }
  function draw() {
    queued = false;
    if (!data) return;
    var r = box.getBoundingClientRect();
    ctx.clearRect(0, 0, r.width, r.height);
    ctx.save();
    ctx.translate(view.x, view.y);
    ctx.scale(view.k, view.k);
    var nodes = data.nodes, edges = data.edges, i;
    ctx.strokeStyle = "rgba(71,84,103,0.18)";
    ctx.lineWidth = 0.6 / view.k;
    ctx.beginPath();
    for (i = 0; i < edges.length; i++) {
      var a = nodes[edges[i][0]], b = nodes[edges[i][1]];
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
    }
    ctx.stroke();
    var rad = Math.max(1.5, 3.5 / Math.sqrt(view.k)) ;
    var byColor = {};
    for (i = 0; i < nodes.length; i++) {
      var c = color(nodes[i]);
      (byColor[c] = byColor[c] || []).push(nodes[i]);
    }
    Object.keys(byColor).forEach(function (c) {
      ctx.fillStyle = c;
      ctx.beginPath();
      byColor[c].forEach(function (n) {
        ctx.moveTo(n.x + rad, n.y);
        ctx.arc(n.x, n.y, rad, 0, 2 * Math.PI);
      });
      ctx.fill();
    });
    if (hover >= 0) {
      var h = nodes[hover];
      ctx.strokeStyle = "#101828";
      ctx.lineWidth = 2 / view.k;
      ctx.beginPath();
      ctx.arc(h.x, h.y, rad * 2, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.restore();
  }
  function redraw() {
    if (!queued) { queued = true; window.requestAnimationFrame(draw); }
  }
  function index() {
    grid = {};
    data.nodes.forEach(function (n, i) {
      var key = Math.floor(n.x / cell) + "," + Math.floor(n.y / cell);
      (grid[key] = grid[key] || []).push(i);
    });
  }
  function nodeAt(px, py) {
    if (!grid) return -1;
    var x = (px - view.x) / view.k, y = (py - view.y) / view.k;
    var best = -1, bestD = Math.pow(8 / view.k + 2, 2);
    var cx = Math.floor(x / cell), cy = Math.floor(y / cell);
    for (var dx = -1; dx <= 1; dx++) for (var dy = -1; dy <= 1; dy++) {
      (grid[(cx + dx) + "," + (cy + dy)] || []).forEach(function (i) {
        var n = data.nodes[i], d = (n.x - x) * (n.x - x) + (n.y - y) * (n.y - y);
        if (d < bestD) { bestD = d; best = i; }
      });
    }
    return best;
  }
  function local(e) {
    var r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }
  canvas.addEventListener("mousedown", function (e) {
    var p = local(e);
    drag = { x: p[0], y: p[1], vx: view.x, vy: view.y, moved: false };
  });
  window.addEventListener("mouseup", function (e) {
    if (drag && !drag.moved) {
      var p = local(e), i = nodeAt(p[0], p[1]);
      if (i >= 0) window.location.href = "/accounts/" + encodeURIComponent(data.nodes[i].id);
    }
    drag = null;
  });
  canvas.addEventListener("mousemove", function (e) {
    var p = local(e);
    if (drag) {
      if (Math.abs(p[0] - drag.x) + Math.abs(p[1] - drag.y) > 3) drag.moved = true;
      view.x = drag.vx + p[0] - drag.x;
      view.y = drag.vy + p[1] - drag.y;
      redraw();
      return;
    }
    var i = nodeAt(p[0], p[1]);
    if (i !== hover) {
      hover = i;
      if (i >= 0) {
        var n = data.nodes[i];
        tip.textContent = n.id + " @" + n.name + " · " + n.role + (n.attributed ? " (attributed)" : "") +
          (n.excluded ? " · excluded" : "") + " · score " + n.score;
        tip.style.left = (p[0] + 12) + "px";
        tip.style.top = (p[1] + 12) + "px";
        tip.hidden = false;
      } else {
        tip.hidden = true;
      }
      redraw();
    }
  });
  canvas.addEventListener("wheel", function (e) {
    e.preventDefault();
    var p = local(e), f = Math.exp(-e.deltaY * 0.0015);
    view.x = p[0] - (p[0] - view.x) * f;
    view.y = p[1] - (p[1] - view.y) * f;
    view.k *= f;
    redraw();
  }, { passive: false });
  window.addEventListener("resize", function () { size(); redraw(); });
  fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(function (d) {
      data = d;
      size();
      fit();
      index();
      box.setAttribute("data-nodes", String(d.nodes.length));
      box.setAttribute("data-edges", String(d.edges.length));
      draw();
    })
    .catch(function (err) {
      var p = document.createElement("p");
      p.className = "error";
      p.textContent = "The graph could not be loaded: " + err.message;
      box.replaceChildren(p);
    });
})();
