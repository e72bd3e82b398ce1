// The reading page: words selected within a sentence become the passage that the
// sentence's links quote; "Quote the whole sentence" puts the sentence back.
(function () {
  "use strict";

  function sentenceOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest("li.sentence") : null;
  }

  function quote(item, passage, selected) {
    item.querySelectorAll("a.passage-link").forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("passage", passage);
      link.href = url.toString();
    });
    var note = item.querySelector(".selection-note");
    note.hidden = !selected;
    note.querySelector("q").textContent = selected ? passage : "";
  }

  function quoteSelection() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) {
      return;
    }
    var item = sentenceOf(selection.anchorNode);
    var text = item && item.querySelector(".sentence-text");
    if (!text || !text.contains(selection.anchorNode) || !text.contains(selection.focusNode)) {
      return;
    }
    var passage = selection.toString().replace(/\s+/g, " ").trim();
    if (passage) {
      quote(item, passage, true);
      item.querySelector("details").open = true;
    }
  }

  document.addEventListener("mouseup", quoteSelection);
  document.addEventListener("keyup", quoteSelection);
  document.querySelectorAll(".use-sentence").forEach(function (button) {
    button.addEventListener("click", function () {
      var item = sentenceOf(button);
      quote(item, item.querySelector(".sentence-text").dataset.passage, false);
    });
  });
})();
