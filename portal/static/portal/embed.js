// For the members' websites: sizes every <iframe data-samarbeid-widget> to its content and
// passes the custom properties set on it (--samarbeid-accent, --samarbeid-font,
// --samarbeid-text, --samarbeid-muted, --samarbeid-background, --samarbeid-size) into it.
(function () {
  "use strict";
  var PROPERTIES = ["--samarbeid-accent", "--samarbeid-font", "--samarbeid-text",
    "--samarbeid-muted", "--samarbeid-background", "--samarbeid-size"];
  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll("iframe[data-samarbeid-widget]"));
  }
  function origin(frame) {
    try { return new URL(frame.src, location.href).origin; } catch (e) { return null; }
  }
  function style(frame) {
    var computed = getComputedStyle(frame);
    var properties = {};
    PROPERTIES.forEach(function (name) {
      var value = computed.getPropertyValue(name).trim();
      if (value) properties[name] = value;
    });
    var target = origin(frame);
    if (frame.contentWindow && target) {
      frame.contentWindow.postMessage({ type: "samarbeid-widget-style", properties: properties }, target);
    }
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "samarbeid-widget-height") return;
    frames().forEach(function (frame) {
      if (frame.contentWindow === event.source && origin(frame) === event.origin) {
        var height = Number(data.height);
        if (height > 0 && height < 20000) frame.style.height = height + "px";
      }
    });
  });
  function init() {
    frames().forEach(function (frame) {
      frame.setAttribute("scrolling", "no");
      frame.addEventListener("load", function () { style(frame); });
      style(frame);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
