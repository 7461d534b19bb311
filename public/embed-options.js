// Runs before first paint on /embed/ pages: applies the display options in the URL.
//   ?controls=0       only the picture, no controls
//   ?mode=present     presentation mode: large type, thick lines, high contrast, fills the window
//   ?size=1280x720    with mode=present: a fixed frame of that many CSS pixels, for decks that
//                     capture one (320x240 to 3840x2160); anything else is refused with a message
//   ?theme=light      or dark; otherwise the reader's system theme
(function () {
  var query = new URLSearchParams(location.search);
  var root = document.documentElement;
  var theme = query.get('theme');
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  if (query.get('mode') === 'present') root.dataset.present = '';
  if (query.get('controls') === '0') root.dataset.controls = 'hidden';
  var size = query.get('size');
  if (size === null) return;
  var match = /^(\d{3,4})x(\d{3,4})$/.exec(size);
  var width = match ? Number(match[1]) : 0;
  var height = match ? Number(match[2]) : 0;
  var message;
  if (!match || width < 320 || width > 3840 || height < 240 || height > 2160) {
    message =
      'The size “' +
      size.slice(0, 40) +
      '” is not WIDTHxHEIGHT in pixels from 320x240 to 3840x2160 (for example 1280x720): ' +
      'the figure fills the window instead.';
  } else if (!('present' in root.dataset)) {
    message = 'The size option needs mode=present: the figure keeps its normal layout.';
  } else {
    root.dataset.presentSize = width + 'x' + height;
    root.style.setProperty('--ib-present-width', width + 'px');
    root.style.setProperty('--ib-present-height', height + 'px');
    return;
  }
  document.addEventListener('DOMContentLoaded', function () {
    var note = document.createElement('p');
    note.className = 'embed-message';
    note.setAttribute('role', 'status');
    note.textContent = message;
    var main = document.querySelector('main') || document.body;
    main.prepend(note);
  });
})();
