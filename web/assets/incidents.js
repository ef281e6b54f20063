// The console's incident page: attaches the affected customers of a CSV file in chunks (each chunk repeats the
// header row and is one POST to the form's data-action, so a big file shows its progress and a failure names its
// line), then refreshes the notice delivery counts from data-source every few seconds while any are queued.
(function () {
    "use strict";

    var kChunk = 2000; // rows a request (the server takes at most 10,000)

    // Splits CSV text into records (RFC 4180: a quoted field may hold line breaks), keeping each record's text.
    function records(text) {
        var out = [], start = 0, quoted = false;
        if (text.charCodeAt(0) === 0xfeff) start = 1;
        for (var i = start; i < text.length; i++) {
            var c = text[i];
            if (c === '"') quoted = !quoted;
            else if (c === "\n" && !quoted) {
                var line = text.slice(start, i);
                if (line.endsWith("\r")) line = line.slice(0, -1);
                if (line.length) out.push(line);
                start = i + 1;
            }
        }
        var last = text.slice(start);
        if (last.endsWith("\r")) last = last.slice(0, -1);
        if (last.length) out.push(last);
        return out;
    }

    function attach(form) {
        var input = form.querySelector("#csv-file");
        var bar = form.querySelector("#attach-progress");
        var result = form.querySelector("#attach-result");
        var button = form.querySelector("button[type=submit]");
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            var file = input.files && input.files[0];
            if (!file) { result.textContent = "Choose a CSV file first."; return; }
            button.disabled = true;
            file.text().then(function (text) {
                var all = records(text);
                if (all.length < 2) throw new Error("the file has no rows under its header");
                var header = all[0], rows = all.slice(1), done = 0;
                var total = { rows: 0, attached: 0, updated: 0, notices_queued: 0, affected_customers: 0 };
                bar.max = rows.length;
                bar.value = 0;
                function next() {
                    if (done >= rows.length) return Promise.resolve(total);
                    var chunk = rows.slice(done, done + kChunk);
                    return fetch(form.dataset.action, {
                        method: "POST",
                        credentials: "same-origin",
                        headers: { "Content-Type": "text/csv", "X-CSRF-Token": form.dataset.csrf },
                        body: header + "\n" + chunk.join("\n") + "\n",
                    }).then(function (response) {
                        return response.json().then(function (body) {
                            if (!response.ok) {
                                var e = body && body.error ? body.error.message : "HTTP " + response.status;
                                throw new Error("rows " + (done + 1) + "-" + (done + chunk.length) + ": " + e);
                            }
                            ["rows", "attached", "updated", "notices_queued"].forEach(function (k) { total[k] += body[k] || 0; });
                            total.affected_customers = body.affected_customers;
                            done += chunk.length;
                            bar.value = done;
                            result.textContent = "Attached " + total.attached + " of " + rows.length + " rows so far…";
                            return next();
                        });
                    });
                }
                return next();
            }).then(function (total) {
                result.textContent = total.rows + " rows: " + total.attached + " attached, " + total.updated +
                    " already attached (details updated), " + total.notices_queued + " notices queued.";
                result.dataset.attached = String(total.attached);
                var count = document.getElementById("affected-count");
                if (count) count.textContent = String(total.affected_customers);
                refreshNotices();
            }).catch(function (error) {
                result.textContent = "Not attached: " + error.message;
                result.dataset.error = "true";
            }).finally(function () {
                button.disabled = false;
            });
        });
    }

    var timer = null;
    function refreshNotices() {
        var table = document.getElementById("notices");
        if (!table) return;
        fetch(table.dataset.source, { credentials: "same-origin" }).then(function (r) { return r.json(); })
            .then(function (n) {
                ["queued", "sent", "failed"].forEach(function (k) {
                    var cell = document.getElementById("notices-" + k);
                    if (cell && typeof n[k] === "number") cell.textContent = String(n[k]);
                });
                clearTimeout(timer);
                if (n.queued > 0) timer = setTimeout(refreshNotices, 3000);
            }).catch(function () {});
    }

    function start() {
        var form = document.getElementById("attach-form");
        if (form) attach(form);
        var queued = document.getElementById("notices-queued");
        if (queued && queued.textContent !== "0") timer = setTimeout(refreshNotices, 3000);
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
})();
