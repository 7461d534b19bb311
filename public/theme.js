// Runs before first paint: applies the reader's remembered theme, if any; otherwise the system's is used.
(function () {
  try {
    var stored = localStorage.getItem('initbook-theme');
    if (stored === 'light' || stored === 'dark') document.documentElement.dataset.theme = stored;
  } catch {
    // Storage unavailable: follow the system.
  }
})();
