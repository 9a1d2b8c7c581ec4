// Exports page: while an export is being prepared, fetch the page again every 2 seconds and
// replace the table (progress, download link) and the live status, until none is in progress.
// Loaded from /static (CSP script-src 'self'); without it the page still works on reload.
(function () {
  'use strict';
  var list = document.getElementById('exports-liste');
  if (!list || !list.hasAttribute('data-exports-refresh')) return;
  var url = list.getAttribute('data-exports-refresh');
  function refresh() {
    fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) return setTimeout(refresh, 5000);
        var next = new DOMParser().parseFromString(html, 'text/html');
        var nextList = next.getElementById('exports-liste');
        var currentList = document.getElementById('exports-liste');
        if (nextList && currentList) currentList.replaceWith(document.importNode(nextList, true));
        var nextStatus = next.getElementById('exports-statut');
        var status = document.getElementById('exports-statut');
        // The live region keeps its node; its text changes only when a state changes.
        if (nextStatus && status && status.textContent !== nextStatus.textContent) status.textContent = nextStatus.textContent;
        if (nextList && nextList.hasAttribute('data-exports-refresh')) setTimeout(refresh, 2000);
      })
      .catch(function () {
        setTimeout(refresh, 5000);
      });
  }
  setTimeout(refresh, 2000);
})();
