// The people's vote: filter the list while typing or choosing a category (the form still
// works without JavaScript: it asks the server with ?q= and ?category=).
(function () {
  "use strict";
  var form = document.querySelector(".vote-search");
  var list = document.getElementById("vote-list");
  var status = document.getElementById("vote-count");
  if (!form || !list) { return; }
  var q = form.querySelector("[name=q]");
  var category = form.querySelector("[name=category]");
  var items = Array.prototype.slice.call(list.querySelectorAll("li"));
  // Live filtering needs the whole list: reload once without the server-side filter.
  function apply() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = category.value;
    var shown = 0;
    items.forEach(function (li) {
      var text = li.getAttribute("data-text") || "";
      var ok = (!wanted || li.getAttribute("data-category") === wanted) &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      li.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (status) {
      var one = status.getAttribute("data-template-one");
      var many = status.getAttribute("data-template-many") || "{n}";
      status.textContent = shown === 1 ? one : many.replace("{n}", String(shown));
    }
  }
  var serverFiltered = q.value !== "" || category.value !== "";
  if (serverFiltered) { return; }  // the list is already the server's answer; submit again to change it
  q.addEventListener("input", apply);
  category.addEventListener("change", apply);
})();
