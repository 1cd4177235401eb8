// Result forms: show the rectification deadline and requirements only for a rectification order.
(function () {
  document.querySelectorAll("form.result-form").forEach(function (form) {
    var followUp = form.querySelector("[name=follow_up]");
    if (!followUp) return;
    function toggle() {
      var show = followUp.value === "rectification";
      form.querySelectorAll("[data-rectification]").forEach(function (el) { el.hidden = !show; });
    }
    followUp.addEventListener("change", toggle);
    toggle();
  });
})();
