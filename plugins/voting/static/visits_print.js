// The "Print" button of the judges' visit plan (no inline script under the strict CSP).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
