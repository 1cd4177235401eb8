// Result form: show the rectification deadline and requirements only for a rectification order.
(function () {
  var form = document.getElementById("result-form");
  if (!form) return;
  var followUp = form.querySelector("[name=follow_up]");
  function toggle() {
    var show = followUp.value === "rectification";
    form.querySelectorAll("[data-rectification]").forEach(function (el) { el.hidden = !show; });
  }
  followUp.addEventListener("change", toggle);
  toggle();
})();
