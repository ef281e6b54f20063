// The console's reports page: draws the team report (GET /api/v1/reports/team, embedded in the page as the
// data-report attribute of #team-report) with Chart.js (/assets/chart.umd.js, loaded before this file).
// Each canvas carries an aria-label and sits beside a table of the same numbers (the page renders the tables on
// the server, so they are there without JavaScript too). A drawn canvas gets data-drawn="true".
(function () {
    "use strict";

    // Okabe-Ito: distinguishable with the common colour-vision deficiencies, readable on white.
    var palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

    function common(extra) {
        var options = {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            plugins: { legend: { position: "bottom" } },
        };
        for (var k in extra) options[k] = extra[k];
        return options;
    }

    // Long category labels (incident names) are cut on the axis; the tooltip and the table keep them whole.
    function shortLabel(value) {
        var label = String(this.getLabelForValue(value));
        return label.length > 28 ? label.slice(0, 27) + "\u2026" : label;
    }

    function draw(id, config) {
        var canvas = document.getElementById(id);
        if (!canvas) return null;
        var chart = new Chart(canvas, config);
        canvas.dataset.drawn = "true";
        return chart;
    }

    function acknowledge(report) {
        var weeks = report.acknowledge;
        draw("chart-acknowledge", {
            type: "bar",
            data: {
                labels: weeks.map(function (w) { return w.week; }),
                datasets: [
                    { label: "Median minutes", data: weeks.map(function (w) { return w.median_minutes; }),
                      backgroundColor: palette[0] },
                    { label: "90th percentile minutes", data: weeks.map(function (w) { return w.p90_minutes; }),
                      backgroundColor: palette[1] },
                ],
            },
            options: common({ scales: { y: { beginAtZero: true, title: { display: true, text: "minutes" } } } }),
        });
    }

    function breaches(report) {
        var weeks = report.breaches;
        var clocks = weeks.length ? Object.keys(weeks[0].by_clock) : [];
        draw("chart-breaches", {
            type: "bar",
            data: {
                labels: weeks.map(function (w) { return w.week; }),
                datasets: clocks.map(function (clock, i) {
                    return { label: clock.replace("_", " "), backgroundColor: palette[i % palette.length],
                             data: weeks.map(function (w) { return w.by_clock[clock]; }) };
                }),
            },
            options: common({ scales: { x: { stacked: true },
                                        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }),
        });
    }

    function followup(report) {
        var weeks = report.followup;
        var datasets = [1, 2, 3, 4, 5].map(function (score, i) {
            return { type: "bar", label: "score " + score, stack: "scores", yAxisID: "y", order: 1,
                     backgroundColor: ["#D55E00", "#E69F00", "#999999", "#56B4E9", "#0072B2"][i],
                     data: weeks.map(function (w) { return w.scores[i]; }) };
        });
        // order 0: drawn over the bars (a higher order is drawn first).
        datasets.push({ type: "line", label: "average score", yAxisID: "score", order: 0, pointRadius: 5,
                        borderColor: "#000000",
                        backgroundColor: "#000000", data: weeks.map(function (w) { return w.average; }) });
        draw("chart-followup", {
            data: { labels: weeks.map(function (w) { return w.week; }), datasets: datasets },
            options: common({ scales: {
                x: { stacked: true },
                y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "answers" } },
                score: { position: "right", min: 0, max: 5, grid: { drawOnChartArea: false },
                         title: { display: true, text: "average (1-5)" } },
            } }),
        });
    }

    function remedies(report) {
        var months = report.remedies;
        draw("chart-remedies", {
            data: {
                labels: months.map(function (m) { return m.group; }),
                datasets: [
                    { type: "bar", label: "spent", yAxisID: "y", order: 1, backgroundColor: palette[0],
                      data: months.map(function (m) { return m.spend_minor / 100; }) },
                    { type: "line", label: "customers kept (ordered again), %", yAxisID: "kept", order: 0, pointRadius: 5,
                      borderColor: palette[2], backgroundColor: palette[2],
                      data: months.map(function (m) { return m.came_back_rate === null ? null : m.came_back_rate * 100; }) },
                ],
            },
            options: common({ scales: {
                y: { beginAtZero: true, title: { display: true, text: "spent (major units)" } },
                kept: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
                        title: { display: true, text: "% kept" } },
            } }),
        });
    }

    function incidents(report) {
        var list = report.incidents;
        draw("chart-incidents", {
            type: "bar",
            data: {
                labels: list.map(function (i) { return i.name; }),
                datasets: [
                    { label: "cases per 100 affected customers", backgroundColor: palette[3],
                      data: list.map(function (i) { return i.contacts_per_100; }) },
                ],
            },
            options: common({ indexAxis: "y", scales: { x: { beginAtZero: true }, y: { ticks: { callback: shortLabel } } } }),
        });
    }

    function recurrence(report) {
        var flags = report.recurrence.flags || [];
        var reopenings = report.recurrence.reopenings || [];
        draw("chart-recurrence", {
            type: "bar",
            data: {
                labels: flags.map(function (f) { return f.category + " (no debrief)"; })
                    .concat(reopenings.map(function (r) { return r.category + " (debrief " + r.debrief_id + " reopened)"; })),
                datasets: [
                    { label: "cases in the window", backgroundColor: palette[1],
                      data: flags.map(function (f) { return f.cases_in_window; })
                          .concat(reopenings.map(function (r) { return r.new_case_ids.length; })) },
                ],
            },
            options: common({ indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } },
                                                        y: { ticks: { callback: shortLabel } } } }),
        });
    }

    function start() {
        var holder = document.getElementById("team-report");
        if (!holder || typeof Chart === "undefined") return;
        var report = JSON.parse(holder.dataset.report);
        Chart.defaults.font.size = 13;
        Chart.defaults.color = "#1f2328";
        [acknowledge, breaches, followup, remedies, incidents, recurrence].forEach(function (f) { f(report); });
        holder.dataset.drawn = "true";
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
})();
