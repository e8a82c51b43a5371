// Inside the widget's frame: tell the page around it how tall the list is, and take the
// custom properties (--samarbeid-accent, --samarbeid-font, …) it sends. No cookies, no
// data from the page around: only a height goes out, only those properties come in.
(function () {
  "use strict";
  if (window.parent === window) return;
  var ALLOWED = /^--samarbeid-[a-z-]+$/;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ type: "samarbeid-widget-height", height: height, href: location.href }, "*");
  }
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    var data = event.data;
    if (!data || data.type !== "samarbeid-widget-style" || typeof data.properties !== "object") return;
    Object.keys(data.properties).forEach(function (name) {
      var value = String(data.properties[name]);
      if (ALLOWED.test(name) && value.length < 200 && value.indexOf("url(") === -1) {
        document.documentElement.style.setProperty(name, value);
      }
    });
    send();
  });
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  send();
})();
