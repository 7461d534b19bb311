/**
 * Initbook embed resizer: keeps each Initbook figure iframe on your page as tall as its content, and
 * lets a slide deck (reveal.js and the like) keep its keys while the reader is inside a figure.
 *
 * Usage (the "Embed" button under every figure gives you both lines, filled in):
 *
 *   <iframe src="https://HOST/BASE/embed/variance-by-depth/?vd.depth=30" title="…" width="100%"
 *     height="560" style="border: 0" loading="lazy" data-initbook-embed></iframe>
 *   <script src="https://HOST/BASE/embed-resize.js" async></script>
 *
 * On a slide, give the frame a limit: data-initbook-max-height="600" (CSS pixels, as your slides
 * measure them). The frame then grows to at most that height, and the figure scrolls inside it.
 *
 * Protocol, version 1. An embed posts to its parent, whenever its height changes:
 *   { type: 'initbook:embed-size', version: 1, height: <CSS pixels, 50 … 20000> }
 * and, for PageUp, PageDown, the space bar and the arrows pressed while no control in it uses them:
 *   { type: 'initbook:embed-key', version: 1, key, code, shiftKey, ctrlKey, altKey, metaKey }
 * which this script replays on its own document as keydown and keyup events (with the legacy
 * keyCode that decks read), as if the key had been pressed on the page.
 * This script posts { type: 'initbook:embed-ping', version: 1 } to every marked iframe when it starts,
 * so embeds that loaded first report their height again.
 *
 * A message is used only when it is well formed, of version 1, comes from an iframe on this page that
 * has the `data-initbook-embed` attribute, and from that iframe's own origin. Anything else is ignored.
 * Loading the script twice is harmless.
 */
(function () {
  'use strict';
  if (window.initbookEmbedResize) return;
  window.initbookEmbedResize = true;

  var SIZE = 'initbook:embed-size';
  var KEY = 'initbook:embed-key';
  var PING = 'initbook:embed-ping';
  var VERSION = 1;
  var KEY_CODES = {
    PageUp: 33,
    PageDown: 34,
    ' ': 32,
    ArrowLeft: 37,
    ArrowUp: 38,
    ArrowRight: 39,
    ArrowDown: 40,
  };
  var FLAGS = ['shiftKey', 'ctrlKey', 'altKey', 'metaKey'];

  function heightOf(data) {
    if (data.type !== SIZE) return null;
    var height = data.height;
    if (typeof height !== 'number' || !isFinite(height) || height < 50 || height > 20000)
      return null;
    return Math.ceil(height);
  }

  function keyOf(data) {
    if (data.type !== KEY) return null;
    if (typeof data.key !== 'string' || !Object.prototype.hasOwnProperty.call(KEY_CODES, data.key))
      return null;
    if (typeof data.code !== 'string' || data.code.length > 32) return null;
    for (var i = 0; i < FLAGS.length; i++) if (typeof data[FLAGS[i]] !== 'boolean') return null;
    return data;
  }

  function replay(data) {
    var keyCode = KEY_CODES[data.key];
    ['keydown', 'keyup'].forEach(function (type) {
      var event = new KeyboardEvent(type, {
        key: data.key,
        code: data.code,
        keyCode: keyCode,
        which: keyCode,
        shiftKey: data.shiftKey,
        ctrlKey: data.ctrlKey,
        altKey: data.altKey,
        metaKey: data.metaKey,
        bubbles: true,
        cancelable: true,
      });
      // Browsers that ignore keyCode in the constructor still report it.
      if (event.keyCode !== keyCode) {
        Object.defineProperty(event, 'keyCode', { value: keyCode });
        Object.defineProperty(event, 'which', { value: keyCode });
      }
      document.dispatchEvent(event);
    });
  }

  function limitOf(frame) {
    var limit = Number(frame.getAttribute('data-initbook-max-height'));
    return isFinite(limit) && limit >= 50 ? limit : Infinity;
  }

  function frames() {
    return document.querySelectorAll('iframe[data-initbook-embed]');
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (typeof data !== 'object' || data === null || data.version !== VERSION) return;
    var height = heightOf(data);
    var key = height === null ? keyOf(data) : null;
    if (height === null && key === null) return;
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var frame = list[i];
      if (frame.contentWindow !== event.source) continue;
      var origin;
      try {
        origin = new URL(frame.src, location.href).origin;
      } catch {
        return;
      }
      if (origin !== event.origin) return;
      if (height !== null) frame.style.height = Math.min(height, limitOf(frame)) + 'px';
      else replay(key);
      return;
    }
  });

  function ping() {
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      if (list[i].contentWindow)
        list[i].contentWindow.postMessage({ type: PING, version: VERSION }, '*');
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ping);
  else ping();
})();
