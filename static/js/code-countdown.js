// "获取验证码": after a code was sent, count down to when the next one may be asked for.
// The server enforces the wait; this only saves a pointless tap (no inline script: CSP).
// In 关怀版 (html.care) nothing ticks: the button says once that it can be asked again a
// little later, and simply comes back when it can (no time pressure).
document.addEventListener("DOMContentLoaded", () => {
  const english = document.documentElement.lang.startsWith("en");
  const care = document.documentElement.classList.contains("care");
  document.querySelectorAll("[data-resend-after]").forEach((button) => {
    const label = button.textContent;
    const left = parseInt(button.dataset.resendAfter, 10);
    if (care) {
      button.disabled = true;
      button.textContent = english ? "Can be resent shortly" : "稍后可重新获取";
      window.setTimeout(() => {
        button.disabled = false;
        button.textContent = label;
      }, left * 1000);
      return;
    }
    const template = english ? "Resend in {n} s" : "{n}秒后重新获取";
    let remaining = left;
    const tick = () => {
      if (remaining <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.disabled = true;
      button.textContent = template.replace("{n}", remaining);
      remaining -= 1;
      window.setTimeout(tick, 1000);
    };
    tick();
  });
});
