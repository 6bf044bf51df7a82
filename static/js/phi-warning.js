/* Nominations, comments and board notes are about work, never patients. A free-text field marked
   data-phi-check gets a plain warning beside it while its text looks like a patient's details (a date of
   birth, a record number, a Social Security number, a phone number, an email address, a patient's name),
   and no request htmx makes while the person types (the similar-nominations search, say) carries that
   text: the check runs here, so neither the server nor its access log sees it before the person presses
   the button. It warns and never blocks sending, because a person may judge it a false alarm.

   The patterns are written against ordinary work text as much as against the details they look for:
   times, durations, ratios, a year alone, a recent go-live date and "patients a day" stay quiet.
   Here rather than inline: the Content-Security-Policy runs no inline script. */
(function () {
  "use strict";

  var raw = String.raw;

  // Dates. A bare full date counts as a birth date only when its year lies further back than the work
  // people nominate usually goes ("since the 03/01/2025 go-live" stays quiet, "3/14/1962" does not);
  // beside a birth-date word (DOB, born, date of birth) any full date counts, two-digit years too.
  var OLDEST_WORK_YEARS = 15;
  var SEP = "[/.-]";
  var MON = "(?:0?[1-9]|1[0-2])";
  var DAY = "(?:0?[1-9]|[12][0-9]|3[01])";
  var MONTH = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?" +
              "|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
  var ORD = "(?:st|nd|rd|th)?";
  var DATE_END = raw`(?![\p{L}\p{N}/-]|\.\d)`;

  function fullDate(year) {
    // Each form holds one capture group, the year, so the year is whichever group matched.
    return "(?:" + [
      MON + SEP + DAY + SEP + "(" + year + ")",
      DAY + SEP + MON + SEP + "(" + year + ")",
      "(" + "\\d{4}" + ")" + SEP + MON + SEP + DAY,
      MONTH + raw`\s+` + DAY + ORD + raw`,?\s+(` + year + ")",
      DAY + ORD + raw`\s+(?:of\s+)?` + MONTH + raw`,?\s+(` + year + ")",
    ].join("|") + ")" + DATE_END;
  }

  var BARE_DATE = new RegExp(raw`(?<![\p{L}\p{N}/.-])` + fullDate(raw`\d{4}`), "gu");
  var BIRTH_WORD = new RegExp(raw`(?<![\p{L}])(?:D\.?O\.?B\.?|date\s+of\s+birth|birth\s*date|birthday|born)(?![\p{L}])`,
                              "giu");
  var DATE_AFTER_BIRTH_WORD = new RegExp(raw`[\s:#,=(-]*(?:(?:is|was|on|of)\s+)?` + fullDate(raw`\d{4}|\d{2}`),
                                         "iuy");

  function hasBirthDate(text) {
    var oldest = new Date().getFullYear() - OLDEST_WORK_YEARS;
    for (var m of text.matchAll(BARE_DATE)) {
      var year = Number(m.slice(1).find(Boolean));
      if (year <= oldest) return true;
    }
    for (var w of text.matchAll(BIRTH_WORD)) {
      DATE_AFTER_BIRTH_WORD.lastIndex = w.index + w[0].length;
      if (DATE_AFTER_BIRTH_WORD.test(text)) return true;
    }
    return false;
  }

  // Record numbers: only after a word that names one ("MRN 12345678", "medical record number 1234567",
  // "acct# 99812345"); a long number alone may as well be an order, a form or a ticket.
  var RECORD_NUMBER = new RegExp(
    raw`(?<![\p{L}\p{N}])(?:MRN|MR\s?#|MR\s?No\.?` +
    raw`|med(?:ical)?\.?\s*rec(?:ord)?\.?(?![\p{L}])(?:\s*(?:number|num|no\.?|#))?` +
    raw`|chart\s*(?:number|num|no\.?|#)|acct\.?(?:\s*(?:number|num|no\.?|#))?|account\s*(?:number|num|no\.?|#)` +
    raw`|FIN|CSN|encounter\s*(?:number|num|no\.?|#))` +
    raw`\s*(?:[:#=-]|is)?\s*(?:[a-z]{1,3}-?)?\d(?:-?\d){4,}(?![\p{L}\p{N}])`, "iu");

  // Social Security numbers: 123-45-6789 or 123 45 6789 anywhere, nine bare digits only after SSN.
  var SSN = new RegExp(
    raw`(?<![\p{N}-])\d{3}(?:-\d{2}-| \d{2} )\d{4}(?![\p{N}]|-\d)` +
    raw`|(?<![\p{L}])(?:SSN|SS\s?#|social\s+security(?:\s+(?:number|num|no\.?|#))?)\s*(?:[:#=]|is)?\s*\d{9}(?![\p{N}])`,
    "iu");

  // US phone numbers with their area code: (555) 123-4567, 555-123-4567, 555.123.4567, +1 555 123 4567.
  // An extension (x4321, ext. 4321) or an internal number (4-3210, 123-4567) is how colleagues are reached.
  var PHONE = new RegExp(
    raw`(?<![\p{L}\p{N}+-])(?:\+?1[-.\s]?)?(?:\(\d{3}\)[-.\s]?|\d{3}[-.\s])\d{3}[-.\s]\d{4}(?![\p{N}]|-\d)`, "u");

  // Starting only where a run of such characters starts: a long run without an @ is then read once, not
  // once from each of its characters.
  var EMAIL = new RegExp(
    raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`, "u");

  // Names: a capitalised name after "patient" or "pt" as people write it in a sentence ("the patient John
  // Smith", "pt Lopez refused"), two after "Pt." ("Pt. Maria Lopez"), one after "Patient:" as on a copied
  // label, one after a title ("patient Mrs. Smith"), or a title and a bed ("Mrs. Smith in bed 4").
  // Capitalised "Patient" before words that are not a name is a team or a thing ("Patient Safety",
  // "Patient Portal messages", a title in Title Case), so it needs the colon, "Pt." or a title; a name
  // must stand on the same line as its "patient", which may end the line before. "PT" (physical therapy)
  // and "12 pt Arial" (a font size) are not patients.
  var NAME = raw`\p{Lu}(?:\p{Ll}+(?:\p{Lu}\p{Ll}+)?|['’]\p{Lu}\p{Ll}+)(?:-\p{Lu}\p{Ll}+)?(?:['’]s)?(?![\p{L}\p{N}])`;
  var TITLE = raw`(?:Mrs|Mr|Ms|Miss|Mx)\.?`;
  var SP = raw`[ \t\u00a0]+`;
  var BEFORE = raw`(?<![\p{L}\p{N}])(?<!\d )`;
  var PATIENT_NAMES = [
    BEFORE + raw`(?:patient|pt):?` + SP + "(" + NAME + ")",
    BEFORE + raw`[Pp]t\.?:?` + SP + "(" + NAME + ")" + SP + NAME,
    BEFORE + raw`(?:Patient|Pt\.?)[ \t]*:[ \t]*(` + NAME + ")",
    BEFORE + raw`(?:[Pp]atient|[Pp]t\.?):?` + SP + TITLE + SP + "(" + NAME + ")",
    raw`(?<![\p{L}])` + TITLE + SP + "(" + NAME + ")(?:" + SP + NAME + ")?,?" + SP +
      raw`(?:in|from|at)` + SP + raw`(?:[Bb]ed|[Rr]oom|[Rr]m|[Bb]ay)(?![\p{L}])`,
  ].map(function (source) { return new RegExp(source, "gu"); });

  // Capitalised words that follow "patient" in work text without naming anyone.
  var NOT_NAMES = new Set((
    "Access Admission Admissions Advocacy Advocate Advocates Assessment Assessments Attendant Attendants Band " +
    "Belongings Board Care Census Centered Chart Charts Clinical Days Discharge Education Engagement Experience " +
    "Families Family Finance Financial First Flow Handoff Health Home Identification Information Intake Kiosk " +
    "Label Labels List Lists Logistics Medical Monitoring Navigation Navigator Navigators Observation Observer " +
    "Outcomes Placement Portal Quality Ready Record Records Registration Relations Rights Room Rooms Safety " +
    "Satisfaction Service Services Sitter Sitters Support Tech Techs Technician Technicians Throughput Tracking " +
    "Transfer Transfers Transport Transportation Valuables Weight Whiteboard Wristband " +
    "Behavioral Billing Cardiology Case Charge Coding Dietary Doctor Doctors Emergency Imaging Intensive Internal " +
    "Joint Lab Laboratory Labor Medicaid Medicare Nursing Nutrition Oncology Pediatrics Perioperative Pharmacist " +
    "Pharmacists Pharmacy Physician Physicians Primary Provider Providers Radiology Rehab Resident Residents " +
    "Respiratory Scheduling Social Surgery Therapy Unit Units " +
    "Allscripts Athena Cerner Epic Excel Meditech MyChart Omnicell Oracle Outlook Pyxis Teams Vocera " +
    "Patient Patients Pt After All Also And Before But Each Every If It No Nurses Or Our So Staff That The Then " +
    "These They This Those We When Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February " +
    "March April May June July August September October November December"
  ).split(" "));

  function hasPatientName(text) {
    return PATIENT_NAMES.some(function (pattern) {
      for (var m of text.matchAll(pattern)) if (!NOT_NAMES.has(m[1])) return true;
      return false;
    });
  }

  var KINDS = [
    ["date of birth", "a patient's date of birth", hasBirthDate],
    ["record number", "a medical record or account number", function (t) { return RECORD_NUMBER.test(t); }],
    ["social security number", "a Social Security number", function (t) { return SSN.test(t); }],
    ["phone number", "a phone number", function (t) { return PHONE.test(t); }],
    ["email address", "an email address", function (t) { return EMAIL.test(t); }],
    ["patient name", "a patient's name", hasPatientName],
  ];

  function kindsIn(text) {
    return KINDS.filter(function (kind) { return kind[2](text); }).map(function (kind) { return kind[0]; });
  }

  function warningText(kinds) {
    if (!kinds.length) return "";
    var named = KINDS.filter(function (kind) { return kinds.indexOf(kind[0]) >= 0; })
      .map(function (kind) { return kind[1]; });
    var list = named.length > 1 ? named.slice(0, -1).join(", ") + " and " + named[named.length - 1] : named[0];
    return "This looks like " + list + ". Nominations and comments are about work, never patients: please remove " +
           (named.length > 1 ? "them" : "it") + ".";
  }

  // What is on its way to becoming one of the above while it is typed: a request made in a pause would
  // otherwise carry most of a number ("123-45-67") or the start of a name before any warning shows.
  var ON_THE_WAY = [
    /\d(?:[\s().\/+-]{0,2}\d){5,}/u,
    /[\p{L}\p{N}._%+-]@|@[\p{L}\p{N}]/u,
    new RegExp(raw`(?<![\p{L}])(?:D\.?O\.?B|date\s+of\s+birth|birth\s*date|birthday|born|MRN|MR\s?#|medical\s+record` +
               raw`|med\.?\s*rec|chart\s*(?:number|num|no|#)|acct|account\s*(?:number|num|no|#)|FIN|CSN|SSN|SS\s?#` +
               raw`|social\s+security)\W{0,16}\d`, "iu"),
    new RegExp(BEFORE + raw`(?:patient|pt):?` + SP + raw`(\p{Lu}\p{L}*)`, "gu"),
    new RegExp(BEFORE + raw`[Pp]t\.?:?` + SP + raw`(\p{Lu}\p{L}*)` + SP + raw`\p{Lu}`, "gu"),
    new RegExp(BEFORE + raw`(?:Patient|Pt\.?)[ \t]*:[ \t]*(\p{Lu})`, "gu"),
    new RegExp(raw`(?<![\p{L}])` + TITLE + SP + raw`(\p{Lu})`, "gu"),
  ];

  function heldBack(text) {
    if (kindsIn(text).length) return true;
    return ON_THE_WAY.some(function (pattern) {
      if (!pattern.global) return pattern.test(text);
      for (var m of text.matchAll(pattern)) if (!NOT_NAMES.has(m[1])) return true;
      return false;
    });
  }

  /* The page. The warning sits after the field's own error and hint, stays in the page while empty (a
     screen reader then already knows the live region when a warning first appears) and describes the
     field only while it says something. */
  function warningFor(field) {
    var id = field.id + "-phi";
    var warning = document.getElementById(id);
    if (warning) return warning;
    warning = document.createElement("div");
    warning.id = id;
    warning.className = "phi-warning";
    warning.setAttribute("aria-live", "polite");
    var after = field;
    while (after.nextElementSibling && after.nextElementSibling.matches("small")) after = after.nextElementSibling;
    after.after(warning);
    return warning;
  }

  function describe(field, id, on) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter(function (other) { return other && other !== id; });
    if (on) ids.push(id);
    if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
    else field.removeAttribute("aria-describedby");
  }

  function check(field) {
    if (!field.id) return;
    var warning = warningFor(field);
    var text = warningText(kindsIn(field.value));
    // Rewritten only when it changes, so a screen reader hears it once, not at every key.
    if (warning.textContent !== text) warning.textContent = text;
    describe(field, warning.id, text !== "");
  }

  function checkAll(root) {
    if (root.matches && root.matches("[data-phi-check]")) check(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-phi-check]").forEach(check);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-phi-check]")) check(event.target);
  });
  // A fragment swapped in may hold text already: a board decision refused for another field comes back as typed.
  document.addEventListener("htmx:load", function (event) { checkAll(event.detail.elt); });
  checkAll(document);

  function sentValues(parameters, name) {
    if (!parameters) return [];
    if (typeof parameters.getAll === "function") return parameters.getAll(name);
    return [].concat(parameters[name] === undefined ? [] : parameters[name]);
  }

  // Only the person's own sending of the form a field belongs to may carry its text while it looks like a
  // patient's details; every other request (made while typing, polling, another button) is dropped.
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    var submitted = detail.triggeringEvent && detail.triggeringEvent.type === "submit" ? detail.elt : null;
    var fields = document.querySelectorAll("[data-phi-check]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (!field.name || !field.value || (submitted && field.form === submitted)) continue;
      if (sentValues(detail.parameters, field.name).indexOf(field.value) >= 0 && heldBack(field.value)) {
        event.preventDefault();
        return;
      }
    }
  });

  // For the tests, which check these very patterns in the page against a table of examples.
  window.phiWarning = { kindsIn: kindsIn, heldBack: heldBack, warningText: warningText };
})();
