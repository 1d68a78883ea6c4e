// A link from the old blog names a comment by its old id (#comment-123, Blogger's #c123).
// When no element on this page has that id, ask the server where that comment lives now.
(function () {
  "use strict";
  var script = document.currentScript;
  var match = /^#c(?:omment-)?(\d+)$/.exec(window.location.hash);
  if (!script || !match || document.getElementById(window.location.hash.slice(1))) {
    return;
  }
  var url = new URL(script.dataset.oldAnchors, window.location.href);
  url.searchParams.set("post", window.location.pathname);
  url.searchParams.set("id", match[1]);
  window.location.replace(url.href);
})();
