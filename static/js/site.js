// Behaviour every page may use, in place of inline event handlers (the Content-Security-Policy
// has no 'unsafe-inline', so onchange="…" / onclick="…" attributes would not run):
// * <select data-autosubmit>: submits its form as soon as the choice changes (the language
//   switcher in the header; without JavaScript its <noscript> button submits the form);
// * <button data-confirm="question">: asks the question first and submits only if confirmed.
(function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  });
  document.querySelectorAll("[data-confirm]").forEach(function (element) {
    element.addEventListener("click", function (event) {
      if (!window.confirm(element.dataset.confirm)) event.preventDefault();
    });
  });
})();
