// "获取验证码": after a code was sent, count down to when the next one may be asked for.
// The server enforces the wait; this only saves a pointless tap (no inline script: CSP).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-resend-after]").forEach((button) => {
    const label = button.textContent;
    const template = document.documentElement.lang.startsWith("en") ? "Resend in {n} s" : "{n}秒后重新获取";
    let left = parseInt(button.dataset.resendAfter, 10);
    const tick = () => {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.disabled = true;
      button.textContent = template.replace("{n}", left);
      left -= 1;
      window.setTimeout(tick, 1000);
    };
    tick();
  });
});
