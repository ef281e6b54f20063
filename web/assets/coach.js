// amends console: the reply coach as the agent types. Calls POST /api/v1/coach (debounced) with the draft and the
// case, then marks each finding in a highlight layer behind the textarea and lists the findings with their
// suggestions. Ticks "apologize" when the coach hears an apology (unless the agent set that box by hand).
// Without this script the form still works: the coach reads the reply when it is sent.
'use strict';
(function () {
  var form = document.getElementById('reply-form');
  if (!form || !window.amends) return;
  var textarea = document.getElementById('reply-body');
  var mirror = form.querySelector('.mirror');
  var panel = document.getElementById('coach-findings');
  var caseId = Number(form.getAttribute('data-case-id'));
  var apologize = document.getElementById('completes-apologize');
  var apologizeTouched = false;
  var timer = null, asked = 0;

  if (apologize) apologize.addEventListener('change', function () { apologizeTouched = true; });

  function words(snake) { return String(snake || '').replace(/_/g, ' '); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The coach counts code points; JavaScript strings count UTF-16 units.
  function slice(points, start, end) { return points.slice(start, end).join(''); }

  function paintMirror(text, findings) {
    if (!mirror) return;
    var points = Array.from(text), at = 0;
    mirror.textContent = '';
    findings.forEach(function (f) {
      if (f.start < at || f.end <= f.start) return;  // overlapping findings: the first one is marked
      mirror.appendChild(document.createTextNode(slice(points, at, f.start)));
      var mark = el('mark', f.kind, slice(points, f.start, f.end));
      mirror.appendChild(mark);
      at = f.end;
    });
    mirror.appendChild(document.createTextNode(slice(points, at, points.length) + '\n'));
    mirror.scrollTop = textarea.scrollTop;
  }

  function render(text, report) {
    var points = Array.from(text);
    var findings = report.findings || [], missing = report.missing || [];
    panel.textContent = '';
    var head = el('p');
    head.appendChild(el('strong', '', 'Coach: '));
    head.appendChild(el('span', 'verdict-' + report.verdict, words(report.verdict)));
    head.appendChild(document.createTextNode(', score ' + report.score + ' of 100.'));
    panel.appendChild(head);
    if (!findings.length && !missing.length) {
      panel.appendChild(el('p', '', 'Nothing to fix.'));
    } else {
      var list = el('ul');
      findings.forEach(function (f) {
        var li = el('li', 'finding ' + f.kind);
        li.appendChild(el('strong', '', words(f.kind)));
        li.appendChild(document.createTextNode(': '));
        li.appendChild(el('q', '', slice(points, f.start, f.end)));
        li.appendChild(document.createTextNode('. ' + (f.reason || '') + ' '));
        li.appendChild(el('em', '', f.suggestion || ''));
        list.appendChild(li);
      });
      missing.forEach(function (m) {
        var li = el('li', 'missing');
        li.appendChild(el('strong', '', 'missing ' + words(m.element)));
        li.appendChild(document.createTextNode(': '));
        li.appendChild(el('em', '', m.suggestion || ''));
        list.appendChild(li);
      });
      panel.appendChild(list);
    }
    paintMirror(text, findings);
    if (apologize && !apologizeTouched && report.elements) apologize.checked = !!report.elements.apology;
  }

  function ask() {
    var text = textarea.value, mine = ++asked;
    if (!text.trim()) {
      panel.textContent = '';
      paintMirror('', []);
      return;
    }
    window.amends.api('POST', '/api/v1/coach', { text: text, case_id: caseId }).then(function (r) {
      if (mine !== asked || textarea.value !== text) return;  // an answer to an older draft
      if (r.status === 200 && r.body && typeof r.body === 'object') render(text, r.body);
    }, function () { /* offline: the coach reads it again on send */ });
  }

  textarea.addEventListener('input', function () {
    paintMirror(textarea.value, []);
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  });
  textarea.addEventListener('scroll', function () { if (mirror) mirror.scrollTop = textarea.scrollTop; });
  if (textarea.value.trim()) ask();
})();
