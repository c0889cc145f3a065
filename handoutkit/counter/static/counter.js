// The build page: read the build's progress every 700 ms and say it (the status line is a live region).
(function () {
  "use strict";
  var box = document.getElementById("build");
  if (!box) { return; }
  var url = box.getAttribute("data-json");
  var bar = document.getElementById("bar");
  var said = document.getElementById("said");
  var made = document.getElementById("made");
  var report = document.getElementById("report");
  function show(run) {
    if (run.total !== null) { bar.max = Math.max(run.total, 1); bar.value = run.made.length; }
    while (made.children.length < run.made.length) {
      var item = document.createElement("li");
      item.textContent = run.made[made.children.length];
      made.appendChild(item);
    }
    if (run.state === "running") {
      said.textContent = "Making " + (run.made.length ? run.made[run.made.length - 1] : "a plan") + ": " +
        run.made.length + " made" + (run.total !== null ? " of " + run.total : "") + ".";
      window.setTimeout(poll, 700);
    } else {
      if (run.total !== null) { bar.value = bar.max; }
      said.textContent = "Build " + run.state + ": " + run.made.length + " made.";
      report.textContent = run.report.join("\n");
    }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(show)
      .catch(function () { said.textContent = "Lost touch with the counter; reload the page."; });
  }
  poll();
}());
