// amends console: what every page shares. Pages work without it; it adds conveniences only.
// window.amends.api(method, path, body) calls the JSON API with the session cookie and the page's CSRF token.
'use strict';
(function () {
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }
  // Resolves to {status, body} (body parsed as JSON when it is JSON); rejects only on a network failure.
  function api(method, path, body) {
    var init = { method: method, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrfToken() } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (r) {
      return r.text().then(function (text) {
        var parsed = text;
        try { parsed = JSON.parse(text); } catch (e) { /* not JSON */ }
        return { status: r.status, body: parsed };
      });
    });
  }
  window.amends = { csrfToken: csrfToken, api: api };
})();
