/**
 * Initbook embed resizer: keeps each Initbook figure iframe on your page as tall as its content.
 *
 * Usage (the "Embed" button under every figure gives you both lines, filled in):
 *
 *   <iframe src="https://HOST/BASE/embed/variance-by-depth/?vd.depth=30" title="…" width="100%"
 *     height="560" style="border: 0" loading="lazy" data-initbook-embed></iframe>
 *   <script src="https://HOST/BASE/embed-resize.js" async></script>
 *
 * Protocol, version 1. An embed posts to its parent, whenever its height changes:
 *   { type: 'initbook:embed-size', version: 1, height: <CSS pixels, 50 … 20000> }
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
  var PING = 'initbook:embed-ping';
  var VERSION = 1;

  function heightOf(data) {
    if (typeof data !== 'object' || data === null) return null;
    if (data.type !== SIZE || data.version !== VERSION) return null;
    var height = data.height;
    if (typeof height !== 'number' || !isFinite(height) || height < 50 || height > 20000)
      return null;
    return Math.ceil(height);
  }

  function frames() {
    return document.querySelectorAll('iframe[data-initbook-embed]');
  }

  window.addEventListener('message', function (event) {
    var height = heightOf(event.data);
    if (height === null) return;
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
      if (origin === event.origin) frame.style.height = height + 'px';
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
