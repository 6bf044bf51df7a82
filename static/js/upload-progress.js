/* A form marked data-upload-progress shows how much of its file has been sent, in its <progress>, while htmx
   sends it: a 10 MB screenshot takes a while on a hospital's guest Wi-Fi. The button waits meanwhile, so a second
   click does not send the file twice. Without script the browser shows its own progress. */
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = event.target.closest && event.target.closest("form[data-upload-progress]");
  if (!form || !event.detail.lengthComputable) return;
  var bar = form.querySelector("progress");
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});
document.addEventListener("htmx:beforeRequest", function (event) {
  var form = event.target.closest && event.target.closest("form[data-upload-progress]");
  if (form) form.querySelector("button[type=submit]").disabled = true;
});
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target.closest && event.target.closest("form[data-upload-progress]");
  if (form && form.isConnected) form.querySelector("button[type=submit]").disabled = false;
});
