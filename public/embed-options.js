// Runs before first paint on /embed/ pages: applies the display options in the URL.
//   ?controls=0     only the picture, no controls
//   ?mode=present   presentation mode: large type, thick lines, high contrast
//   ?theme=light    or dark; otherwise the reader's system theme
(function () {
  var query = new URLSearchParams(location.search);
  var root = document.documentElement;
  var theme = query.get('theme');
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  if (query.get('mode') === 'present') root.dataset.present = '';
  if (query.get('controls') === '0') root.dataset.controls = 'hidden';
})();
