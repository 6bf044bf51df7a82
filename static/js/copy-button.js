/* Copy buttons (<button data-copy="#field">) and fields that select themselves on focus
   (<input data-select-on-focus>), such as the one-time invite link. Here rather than in
   onclick="..." attributes: the Content-Security-Policy runs no inline script. Listening on the
   document covers buttons that htmx swaps in later. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy]");
  if (!button) return;
  var field = document.querySelector(button.dataset.copy);
  field.select();
  (navigator.clipboard ? navigator.clipboard.writeText(field.value) : Promise.reject())
    .catch(function () { document.execCommand("copy"); });
  button.textContent = "Copied";
});
document.addEventListener("focusin", function (event) {
  if (event.target.matches("input[data-select-on-focus]")) event.target.select();
});
