// The admin's periodic-task form: under the crontab's help, the chosen schedule in words.
// django-celery-beat ships this as an inline script, which the Content Security Policy refuses.
(function () {
  "use strict";
  const script = document.currentScript;
  const readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
  const help = document.querySelector(".field-crontab .help");
  const select = document.getElementById("id_crontab");
  const translation = document.querySelector(".field-crontab_translation");
  if (translation) {
    translation.hidden = true;
  }
  if (!help || !select) {
    return;
  }
  const original = script.dataset.crontabHelp;
  const show = function () {
    const words = readable[select.value];
    help.replaceChildren(original);
    if (words) {
      help.append(document.createElement("br"), "Translation: " + words);
    }
  };
  select.addEventListener("change", show);
  show();
})();
