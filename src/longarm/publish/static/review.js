/* Review queue shortcuts: a accept, s same station, r reject, n next candidate. A key acts on the
   element that names it in data-key (so the page says what each key does); keys typed into a field
   are the field's. Loaded as a file: the app's CSP allows script-src 'self' only. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var key = event.key ? event.key.toLowerCase() : "";
    if (!/^[asrn]$/.test(key)) return;
    var element = document.querySelector('[data-key="' + key + '"]');
    if (!element) return;
    event.preventDefault();
    if (element.tagName === "A") {
      window.location.assign(element.href);
    } else if (element.form && element.form.requestSubmit) {
      element.form.requestSubmit(element);
    } else {
      element.click();
    }
  });
})();
