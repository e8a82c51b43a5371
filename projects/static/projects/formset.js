// "Add a row" for the inline rows of the project form: copies the formset's empty form
// (Django's __prefix__ template) and bumps TOTAL_FORMS. Without JavaScript the button stays
// hidden and one empty row per section is always offered after each save.
(function () {
  function addRow(fieldset) {
    var prefix = fieldset.dataset.prefix;
    var total = fieldset.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = fieldset.querySelector("template.empty-row");
    var rows = fieldset.querySelector(".inline-rows");
    if (!total || !template || !rows) return;
    var n = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(n)).replace(/__num__/g, String(n + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(n + 1);
    var first = rows.lastElementChild && rows.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }
  function init() {
    document.querySelectorAll("fieldset.formset [data-add-row]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { addRow(button.closest("fieldset.formset")); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
