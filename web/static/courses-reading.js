// Text lessons: count down the minimum study time. The server decides (it credits the time this
// lesson held the learner's clock); this only tells the learner how long is left.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("reading");
  const left = document.getElementById("reading-left");
  if (!form || !left) return;
  let remaining = Number(form.dataset.remaining || 0);
  const tick = () => {
    left.textContent = remaining > 0 ? `还需约 ${remaining} 秒。` : "已达到最少学习时间。";
    remaining -= 1;
  };
  tick();
  if (remaining >= 0) {
    const timer = setInterval(() => { tick(); if (remaining < 0) clearInterval(timer); }, 1000);
  }
});
