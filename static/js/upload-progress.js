/* A form marked data-upload-progress shows how much of its file has been sent, in its <progress>, while htmx
   sends it: a 10 MB screenshot takes a while on a hospital's guest Wi-Fi. The button waits meanwhile, so a second
   click does not send the file twice. A file over the form's data-max-bytes is not sent at all: the reason shows
   at once, in the words the server would use. Without script the browser shows its own progress, and the server
   refuses a file too large. */
function uploadForm(event) {
  return event.target.closest && event.target.closest("form[data-upload-progress]");
}

function sayUploadProblem(form, text) {
  var problem = form.querySelector("[data-upload-problem]");
  problem.textContent = text;
  problem.hidden = !text;
}

document.addEventListener("htmx:beforeRequest", function (event) {
  var form = uploadForm(event);
  if (!form) return;
  var file = form.querySelector("input[type=file]").files[0];
  var most = Number(form.dataset.maxBytes);
  if (file && most && file.size > most) {
    event.preventDefault();
    sayUploadProblem(form, file.name + " is larger than " + Math.round(most / 1048576) +
                     " MB. Crop the screenshot, or save the PDF with fewer pages.");
    return;
  }
  sayUploadProblem(form, "");
  form.querySelector("button[type=submit]").disabled = true;
});
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = uploadForm(event);
  if (!form || !event.detail.lengthComputable) return;
  var bar = form.querySelector("progress");
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});
document.addEventListener("htmx:responseError", function (event) {
  var form = uploadForm(event);
  if (form) sayUploadProblem(form, "The file could not be sent (the server answered " + event.detail.xhr.status +
                                   "). Try a smaller file, or try again later.");
});
document.addEventListener("htmx:afterRequest", function (event) {
  var form = uploadForm(event);
  if (form && form.isConnected) form.querySelector("button[type=submit]").disabled = false;
});
