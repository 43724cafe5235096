// PermitHub chat page: the plain forms of /chat, sent in place (no framework, no CDN).
// Without this script every form still works with an ordinary post and redirect.
(function () {
  "use strict";
  const log = document.getElementById("chat-log");
  const askForm = document.getElementById("ask-form");
  if (!log || !askForm) return;
  const textarea = askForm.querySelector("textarea[name=question]");
  const sendButton = askForm.querySelector("button[type=submit]");
  const errorBox = document.getElementById("ask-error");
  let busy = false;

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
    textarea.setAttribute("aria-invalid", message ? "true" : "false");
  }

  function pendingTurn(question) {
    const turn = document.createElement("article");
    turn.className = "turn";
    const ask = document.createElement("div");
    ask.className = "bubble ask";
    ask.textContent = question;  // the user's text, never parsed as HTML
    const reply = document.createElement("div");
    reply.className = "bubble reply pending";
    reply.textContent = "正在查找答案…";
    turn.append(ask, reply);
    return turn;
  }

  async function post(form, extra) {
    const data = new FormData(form);
    if (extra) data.append(extra.name, extra.value);
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    let body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    if (!response.ok) throw new Error(body.detail || "请求失败，请稍后再试");
    return body;
  }

  async function ask(form) {
    if (busy) return;
    const question = (form.querySelector("[name=question]").value || "").trim();
    if (!question) { showError("请输入您的问题。"); textarea.focus(); return; }
    busy = true;
    sendButton.disabled = true;
    showError("");
    const empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    const placeholder = pendingTurn(question);
    log.append(placeholder);
    placeholder.scrollIntoView({ block: "end" });
    try {
      const body = await post(form);
      const holder = document.createElement("div");
      holder.innerHTML = body.html;  // rendered and escaped by the server's template
      placeholder.replaceWith(...holder.children);
      if (form === askForm) textarea.value = "";
      const turn = document.getElementById("turn-" + body.turn_id);
      if (turn) turn.scrollIntoView({ block: "start" });
    } catch (error) {
      placeholder.remove();
      showError(error.message);
    } finally {
      busy = false;
      sendButton.disabled = false;
      textarea.focus();
    }
  }

  async function feedback(form, button) {
    const status = form.querySelector(".feedback-status");
    try {
      const body = await post(form, { name: "helpful", value: button.value });
      form.querySelectorAll("button[name=helpful]").forEach((b) => {
        b.setAttribute("aria-pressed", String(b === button));
      });
      status.textContent = body.message;
    } catch (error) {
      status.textContent = error.message;
    }
  }

  // One listener for every form, including those added later.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("[data-chat-ask]")) {
      event.preventDefault();
      ask(form);
    } else if (form.matches("[data-chat-feedback]")) {
      event.preventDefault();
      const button = event.submitter || form.querySelector("button[name=helpful]");
      feedback(form, button);
    }
  });

  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      askForm.requestSubmit();
    }
  });

  const last = log.querySelector(".turn:last-of-type");
  if (last && !location.hash) last.scrollIntoView({ block: "start" });
})();
