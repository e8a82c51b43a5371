// Site-wide behaviour that used to sit in on* attributes (the Content-Security-Policy
// allows no inline script): a <select data-autosubmit> sends its form when it changes.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});
