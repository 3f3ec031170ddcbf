// A part of a form that matters only when a box is ticked (data-show-when-checked="<box id>"),
// e.g. the guardian's confirmation when a minor comes: hidden until the box is ticked. Without
// this script everything stays visible, and the server still asks for it only when it applies.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-show-when-checked]").forEach((part) => {
    const box = document.getElementById(part.dataset.showWhenChecked);
    if (!box) return;
    if (!part.id) part.id = `${box.id}-shows`;
    box.setAttribute("aria-controls", part.id);
    const update = () => {
      part.hidden = !box.checked;
    };
    box.addEventListener("change", update);
    update();
  });
});
