// A live "120/1000" under every long text field: the server refuses a text that is too long
// (keeping it all), so people see it coming instead of being cut silently (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("textarea[data-maxlength]").forEach((field) => {
    const limit = parseInt(field.dataset.maxlength, 10);
    const counter = document.createElement("div");
    counter.className = "form-text char-count";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    const update = () => {
      const length = Array.from(field.value).length;
      counter.textContent = `${length}/${limit}`;
      counter.classList.toggle("text-danger", length > limit);
    };
    field.addEventListener("input", update);
    update();
  });
});
