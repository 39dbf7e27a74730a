// Timetable editor enhancement: drag a session onto a day x room cell to fill the place form.
(function () {
  "use strict";
  var form = document.getElementById("sym-place");
  if (!form) { return; }
  var select = form.querySelector("[name=session_id]");
  document.querySelectorAll(".sym-cell, [data-session]").forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.addEventListener("dragstart", function (event) {
      event.dataTransfer.setData("text/plain", item.dataset.session);
    });
    item.addEventListener("click", function () { select.value = item.dataset.session; });
  });
  document.querySelectorAll(".sym-grid tbody td").forEach(function (cell, index) {
    cell.addEventListener("dragover", function (event) { event.preventDefault(); });
    cell.addEventListener("drop", function (event) {
      event.preventDefault();
      var row = cell.parentElement;
      var rooms = form.querySelector("[name=room]");
      var days = form.querySelector("[name=day]");
      select.value = event.dataTransfer.getData("text/plain");
      rooms.selectedIndex = Array.prototype.indexOf.call(row.children, cell) - 1;
      days.selectedIndex = Array.prototype.indexOf.call(row.parentElement.children, row);
      form.querySelector("[name=time]").focus();
    });
  });
})();
