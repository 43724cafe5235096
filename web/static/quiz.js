// Contest answering: save each answer as soon as it is chosen, count down, hand in at the deadline.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("attempt-form");
  if (!form) return;
  const attempt = form.dataset.attempt;
  const timer = document.getElementById("timer");
  const bar = document.getElementById("timer-bar");
  const counter = document.getElementById("answered-count");
  // The JSON API takes the session cookie only with the page's CSRF token beside it.
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  // Count down from the server's "seconds left", so a wrong clock on the phone does not matter.
  const endsAt = Date.now() + Number(timer.dataset.secondsLeft) * 1000;
  let submitting = false;

  function choiceOf(fieldset) {
    return Array.from(fieldset.querySelectorAll("input:checked")).map((i) => i.value).sort().join("");
  }
  function updateCount() {
    const all = form.querySelectorAll("fieldset.question");
    const done = Array.from(all).filter((f) => choiceOf(f) !== "").length;
    counter.textContent = `已答 ${done} / ${all.length}`;
  }
  async function save(fieldset) {
    const state = fieldset.querySelector(".save-state");
    state.classList.remove("error");
    state.textContent = "正在保存…";
    try {
      const response = await fetch(`/api/quiz/attempts/${attempt}/answers/${fieldset.dataset.position}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
        credentials: "same-origin",
        body: JSON.stringify({ choice: choiceOf(fieldset) }),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(body.detail || "保存失败");
      state.textContent = "已保存 " + new Date().toLocaleTimeString("zh-CN", { hour12: false });
    } catch (error) {
      state.classList.add("error");
      state.textContent = (error.message || "保存失败") + "（交卷时会再提交一次）";
    }
  }
  form.querySelectorAll("fieldset.question").forEach((fieldset) => {
    fieldset.addEventListener("change", () => { updateCount(); save(fieldset); });
  });
  form.addEventListener("submit", (event) => {
    if (submitting) return;
    const all = form.querySelectorAll("fieldset.question");
    const blank = Array.from(all).filter((f) => choiceOf(f) === "").length;
    if (blank && Date.now() < endsAt && !window.confirm(`还有 ${blank} 题未作答，确定交卷吗？`)) {
      event.preventDefault();
      return;
    }
    submitting = true;
  });
  function tick() {
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    timer.textContent = `${Math.floor(left / 60)}分${String(left % 60).padStart(2, "0")}秒`;
    bar.classList.toggle("urgent", left <= 60);
    if (left === 0 && !submitting) {
      submitting = true;
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  updateCount();
  tick();
});
