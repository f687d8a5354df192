window.addEventListener("load", function () {
  var images = Array.prototype.slice.call(document.images);
  var broken = images.filter(function (img) { return !img.complete || img.naturalWidth === 0; });
  broken.forEach(function (img) { img.classList.add("broken"); });
  document.body.dataset.imagesLoaded = String(images.length - broken.length);
  document.body.dataset.imagesBroken = String(broken.length);
  if (broken.length) {
    var note = document.getElementById("broken");
    note.textContent = broken.length + " image(s) failed to load";
    note.hidden = false;
  }
  var run = window.t2dRun;
  if (!run) return;
  var box = document.getElementById("run-facts");
  box.textContent = "";
  var head = document.createElement("p");
  head.textContent = "run " + run.id + " of " + run.file + (run.sets.length ? " with " + run.sets.join(" ") : "") +
    " · " + run.status;
  box.appendChild(head);
  var table = document.createElement("table");
  var row = function (cells, tag) {
    var tr = document.createElement("tr");
    cells.forEach(function (text) { var c = document.createElement(tag); c.textContent = text; tr.appendChild(c); });
    table.appendChild(tr);
  };
  row(["node", "kind", "this run", "time", "params"], "th");
  Object.keys(run.nodes).forEach(function (name) {
    var n = run.nodes[name];
    row([name, n.kind, n.status, (n.duration_ms / 1000).toFixed(2) + " s"], "td");
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = Object.keys(n.params || {}).length + " params";
    var pre = document.createElement("pre");
    pre.textContent = JSON.stringify(n.params, null, 1);
    details.appendChild(summary);
    details.appendChild(pre);
    var cell = document.createElement("td");
    cell.appendChild(details);
    table.lastChild.appendChild(cell);
  });
  box.appendChild(table);
});
