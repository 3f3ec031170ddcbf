// The phone menu: the navbar's button (data-bs-toggle="collapse") shows and hides its target.
// That is all Bootstrap's collapse plugin did on this site; without the plugin every page
// loads 5 KB and ~0.15 s of Lighthouse LCP less (docs/performance.md). No inline script (CSP).
document.addEventListener("click", (event) => {
  const toggler = event.target.closest('[data-bs-toggle="collapse"]');
  const target = toggler && document.querySelector(toggler.dataset.bsTarget);
  if (!target) return;
  const open = target.classList.toggle("show");
  toggler.classList.toggle("collapsed", !open);
  toggler.setAttribute("aria-expanded", String(open));
});
