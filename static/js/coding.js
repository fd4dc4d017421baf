// Coding by selection: select words in a passage and they become the words to code.
// Without JavaScript the researcher copies the words into the form; this only saves that step.
document.addEventListener("mouseup", function () {
  var selection = window.getSelection();
  if (!selection || selection.isCollapsed) {
    return;
  }
  var anchor = selection.anchorNode && selection.anchorNode.parentElement;
  var text = anchor && anchor.closest(".passage__text");
  if (!text || !text.contains(selection.focusNode)) {
    return;
  }
  var passage = text.closest(".passage");
  var quote = passage && passage.querySelector("textarea[name=quote]");
  if (!quote) {
    return;
  }
  quote.value = selection.toString().trim();
  var details = quote.closest("details");
  if (details) {
    details.open = true;
  }
});
