/* Exam page: save each answer the moment it is given, never lose one.
 *
 * Every change gets a per-question sequence number and goes into a queue kept in
 * localStorage; the queue is sent with PUT /api/v1/attempts/<id>/answers/<qid>/ and an entry
 * leaves it only when the server acknowledges that seq (or a newer one). Network errors are
 * retried with back-off and when the browser comes back online. The countdown follows the
 * server's deadline (corrected for the phone's clock). No answer key is ever on this page.
 */
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) return;

  var attemptId = root.dataset.attempt;
  var saveUrl = root.dataset.saveUrl;
  var focusUrl = root.dataset.focusUrl;
  var csrf = root.dataset.csrf;
  var deadline = Date.parse(root.dataset.deadline);
  var clockOffset = Date.parse(root.dataset.serverNow) - Date.now();
  var storeKey = "mingbai-exam-" + attemptId;
  var netEl = document.getElementById("exam-net");
  var countdownEl = document.getElementById("exam-countdown");
  var progressEl = document.getElementById("exam-progress");
  var form = document.getElementById("exam-submit");
  var submitMsg = document.getElementById("exam-submit-msg");
  var closed = false;
  var inFlight = {};
  var retryDelay = 1000;
  var retryTimer = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  var queue = load();  // {qid: {answer: [...], seq: n}}
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(queue)); } catch (e) { /* private mode */ }
  }

  var fieldsets = {};
  Array.prototype.forEach.call(root.querySelectorAll("fieldset[data-question]"), function (fs) {
    fieldsets[fs.dataset.question] = fs;
  });

  function status(qid, state, text) {
    var fs = fieldsets[qid];
    if (!fs) return;
    var el = fs.querySelector(".exam-save");
    el.dataset.state = state;
    el.textContent = text;
  }

  function readAnswer(fs) {
    if (fs.dataset.type === "fill") {
      var v = fs.querySelector("input").value.trim();
      return v ? [v] : [];
    }
    var out = [];
    Array.prototype.forEach.call(fs.querySelectorAll("input:checked"), function (i) { out.push(i.value); });
    return out;
  }

  function writeAnswer(fs, answer) {
    if (fs.dataset.type === "fill") {
      fs.querySelector("input").value = answer[0] || "";
      return;
    }
    Array.prototype.forEach.call(fs.querySelectorAll("input"), function (i) {
      i.checked = answer.indexOf(i.value) !== -1;
    });
  }

  function updateProgress() {
    var n = 0, total = 0;
    Object.keys(fieldsets).forEach(function (qid) {
      total += 1;
      if (readAnswer(fieldsets[qid]).length) n += 1;
    });
    progressEl.textContent = "已答 " + n + "/" + total;
  }

  function pendingCount() { return Object.keys(queue).length; }

  function showNet() {
    var n = pendingCount();
    if (closed) netEl.textContent = "";
    else if (!n) { netEl.textContent = "全部已保存"; netEl.className = "exam-net status-ok"; }
    else { netEl.textContent = n + "题未保存" + (navigator.onLine ? "，正在重试" : "（网络已断开）"); netEl.className = "exam-net status-warn"; }
  }

  function scheduleRetry() {
    if (retryTimer || closed) return;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }

  function attemptClosed(message) {
    closed = true;
    queue = {};
    persist();
    submitMsg.hidden = false;
    submitMsg.textContent = message || "答题已结束，正在查看成绩…";
    window.location.href = form.action.replace(/submit\/$/, "result/");
  }

  function send(qid) {
    var item = queue[qid];
    if (!item || inFlight[qid]) return Promise.resolve();
    inFlight[qid] = item.seq;
    status(qid, "saving", "保存中…");
    return fetch(saveUrl + qid + "/", {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ answer: item.answer, seq: item.seq })
    }).then(function (resp) {
      if (resp.status === 409) {
        return resp.json().then(function (d) { attemptClosed(d.detail); });
      }
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      return resp.json().then(function (d) {
        var current = queue[qid];
        if (current && d.seq >= current.seq) {
          delete queue[qid];
          persist();
          status(qid, "saved", "已保存");
        }
        retryDelay = 1000;
      });
    }).catch(function () {
      if (queue[qid]) status(qid, "unsaved", "未保存");
      scheduleRetry();
    }).then(function () {
      delete inFlight[qid];
      if (queue[qid] && queue[qid].seq > (item.seq || 0) && !closed) send(qid);
      showNet();
    });
  }

  function flush() {
    return Promise.all(Object.keys(queue).map(send));
  }

  function onChange(e) {
    var fs = e.target.closest("fieldset[data-question]");
    if (!fs || closed) return;
    var qid = fs.dataset.question;
    var seq = Math.max(parseInt(fs.dataset.seq, 10) || 0, queue[qid] ? queue[qid].seq : 0) + 1;
    fs.dataset.seq = seq;
    queue[qid] = { answer: readAnswer(fs), seq: seq };
    persist();
    status(qid, "unsaved", "未保存");
    updateProgress();
    showNet();
    send(qid);
  }

  root.addEventListener("change", onChange);

  // Answers queued before a reload (e.g. the network dropped) come back and are re-sent.
  Object.keys(queue).forEach(function (qid) {
    var fs = fieldsets[qid];
    if (!fs || queue[qid].seq <= (parseInt(fs.dataset.seq, 10) || 0)) { delete queue[qid]; return; }
    fs.dataset.seq = queue[qid].seq;
    writeAnswer(fs, queue[qid].answer);
    status(qid, "unsaved", "未保存");
  });
  persist();
  updateProgress();
  showNet();
  flush();

  window.addEventListener("online", function () { retryDelay = 1000; flush(); showNet(); });
  window.addEventListener("offline", showNet);

  // Countdown to the server's deadline; at zero the server submits (saved answers count).
  function tick() {
    var left = Math.max(0, Math.floor((deadline - (Date.now() + clockOffset)) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    countdownEl.textContent = (h ? h + ":" : "") + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    if (left <= 0 && !closed) {
      closed = true;
      flush().then(function () { form.submit(); });
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();

  // Focus loss is logged for review, never held against the taker automatically.
  function logFocus(kind) {
    if (closed) return;
    fetch(focusUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ kind: kind })
    }).catch(function () {});
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") logFocus("hidden");
  });

  form.addEventListener("submit", function (e) {
    if (closed) return;
    e.preventDefault();
    var unanswered = Object.keys(fieldsets).filter(function (q) { return !readAnswer(fieldsets[q]).length; }).length;
    var question = unanswered ? "还有" + unanswered + "题未作答，确定交卷吗？" : "确定交卷吗？";
    if (!window.confirm(question)) return;
    submitMsg.hidden = false;
    submitMsg.textContent = "正在保存答案…";
    flush().then(function () {
      if (pendingCount()) {
        submitMsg.textContent = "还有" + pendingCount() + "题未保存到服务器，请检查网络后再交卷（答案不会丢失）。";
        scheduleRetry();
        return;
      }
      closed = true;
      form.submit();
    });
  });
})();
