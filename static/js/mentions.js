/* "@" and a name in a comment (<textarea data-mentions="/nominations/mentions">): a list of active people whose
   name begins so appears under the field; arrows move through it, Enter or Tab or a click puts the name in,
   Escape closes it. The field stays a text box; aria-activedescendant names the chosen one to a screen reader.
   Without script, typing "@" and the name does the same: the server finds the names a comment mentions. */
(function () {
  var TYPED = /(?:^|\s)@([^@\s][^@\n]{0,39})$/;
  var waiting = null;

  function listFor(field) {
    var list = document.getElementById(field.id + "-mentions");
    if (!list) {
      list = document.createElement("ul");
      list.id = field.id + "-mentions";
      list.className = "mention-choices";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "People to mention");
      list.hidden = true;
      var after = field;  // after the field's error, hint and patient-details warning, which belong beside it
      while (after.nextElementSibling && after.nextElementSibling.matches("small, .phi-warning")) {
        after = after.nextElementSibling;
      }
      after.insertAdjacentElement("afterend", list);
      field.setAttribute("aria-controls", list.id);
      field.setAttribute("aria-autocomplete", "list");
    }
    return list;
  }

  function close(field) {
    var list = listFor(field);
    list.hidden = true;
    list.replaceChildren();
    field.removeAttribute("aria-activedescendant");
  }

  function typedName(field) {
    var match = TYPED.exec(field.value.slice(0, field.selectionStart));
    return match ? match[1] : null;
  }

  function show(field, names) {
    var list = listFor(field);
    list.replaceChildren();
    names.forEach(function (name, index) {
      var option = document.createElement("li");
      option.id = list.id + "-" + index;
      option.setAttribute("role", "option");
      option.textContent = name;
      list.appendChild(option);
    });
    list.hidden = names.length === 0;
    if (names.length) choose(field, 0);
  }

  function choose(field, index) {
    var options = listFor(field).querySelectorAll("[role=option]");
    options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (options[index]) field.setAttribute("aria-activedescendant", options[index].id);
  }

  function chosenIndex(field) {
    var options = Array.prototype.slice.call(listFor(field).querySelectorAll("[role=option]"));
    return options.findIndex(function (option) { return option.getAttribute("aria-selected") === "true"; });
  }

  function put(field, name) {
    var before = field.value.slice(0, field.selectionStart);
    var typed = typedName(field);
    if (typed === null) return close(field);
    var start = before.length - typed.length;
    field.value = field.value.slice(0, start) + name + " " + field.value.slice(field.selectionStart);
    field.selectionStart = field.selectionEnd = start + name.length + 1;
    close(field);
    field.focus();
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("textarea[data-mentions]")) return;
    var typed = typedName(field);
    if (!typed) return close(field);
    clearTimeout(waiting);
    waiting = setTimeout(function () {
      fetch(field.dataset.mentions + "?q=" + encodeURIComponent(typed), {credentials: "same-origin"})
        .then(function (answer) { return answer.ok ? answer.json() : []; })
        .then(function (names) { if (typedName(field) === typed) show(field, names); })
        .catch(function () { close(field); });
    }, 200);
  });

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("textarea[data-mentions]") || listFor(field).hidden) return;
    var options = listFor(field).querySelectorAll("[role=option]");
    var index = chosenIndex(field);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      choose(field, (index + (event.key === "ArrowDown" ? 1 : options.length - 1)) % options.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && options[index]) {
      event.preventDefault();
      put(field, options[index].textContent);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(field);
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".mention-choices [role=option]");
    if (!option) return;
    event.preventDefault();  // keep the focus, and the caret, in the field
    var field = document.querySelector("[aria-controls='" + option.parentElement.id + "']");
    put(field, option.textContent);
  });
})();
