// The new-hearing form: Enter in one of its search fields searches at once instead of
// saving the half-filled form.
document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (event.key !== "Enter" || !field.matches || !field.matches("input[data-pick]")) return;
  event.preventDefault();
  field.dispatchEvent(new Event("search"));
});
