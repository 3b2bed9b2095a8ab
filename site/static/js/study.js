/* Study-time heartbeats (学时心跳) and the lesson self-check.
 *
 * A heartbeat is sent every data-interval seconds (30) only while the page is visible AND has
 * the focus (the Page Visibility API misses app switches on some phones; focus/blur catches
 * them). On leaving, one last heartbeat credits the time up to that moment; on coming back, a
 * "start" heartbeat restarts the server's clock without crediting the time away. The server
 * decides the credit (learning.study_credit); this script only reports presence.
 * No inline script: everything comes from data-* attributes (CSP without unsafe-inline).
 */
(function () {
  "use strict";

  function post(url, csrf, body, keepalive) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    });
  }

  function initHeartbeat(bar) {
    var url = bar.getAttribute("data-heartbeat-url");
    var csrf = bar.getAttribute("data-csrf");
    var lesson = parseInt(bar.getAttribute("data-lesson"), 10);
    var seconds = parseFloat(bar.getAttribute("data-interval")) || 30;
    var pointsEl = bar.querySelector("[data-study-points-today]");
    var lessonEl = bar.querySelector("[data-study-lesson-status]");
    var stateEl = bar.querySelector("[data-study-state]");
    var active = false;
    var timer = null;
    var stopped = false;

    function isActive() {
      return document.visibilityState === "visible" && document.hasFocus();
    }

    function show(state, text) {
      bar.setAttribute("data-state", state);
      if (stateEl && text) stateEl.textContent = text;
    }

    function beat(start, keepalive) {
      if (stopped) return;
      post(url, csrf, { lesson: lesson, start: !!start }, keepalive).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
      }).then(function (result) {
        if (!result.ok) {
          show("error", result.data && result.data.detail ? result.data.detail : "计时暂不可用。");
          if (result.status === 401 || result.status === 403 || result.status === 404) {
            stopped = true;
            clearInterval(timer);
          }
          return;
        }
        var data = result.data;
        if (pointsEl) pointsEl.textContent = String(data.points_today);
        bar.setAttribute("data-points-today", String(data.points_today));
        bar.setAttribute("data-credited-seconds", String(data.credited_seconds_today));
        if (lessonEl && data.lesson_completed) lessonEl.textContent = "已完成";
        if (active) show("running", "正在计时：今日已计入 " + Math.floor(data.credited_seconds_today / 60) + " 分钟。");
      }).catch(function () {
        show("error", "网络不稳定，恢复后继续计时。");
      });
    }

    function update() {
      var now = isActive();
      if (now === active) return;
      active = now;
      if (active) {
        beat(true, false);
        show("running", "正在计时。");
      } else {
        beat(false, true);
        show("paused", "已暂停计时：回到本页后继续。");
      }
    }

    document.addEventListener("visibilitychange", update);
    window.addEventListener("focus", update);
    window.addEventListener("blur", update);
    window.addEventListener("pagehide", function () { if (active) { active = false; beat(false, true); } });
    timer = setInterval(function () {
      if (isActive()) {
        if (!active) { update(); } else { beat(false, false); }
      } else if (active) {
        update();
      }
    }, seconds * 1000);
    update();
  }

  function initSelfCheck(section) {
    var url = section.getAttribute("data-self-check-url");
    var form = section.querySelector("[data-self-check-form]");
    var bar = document.querySelector("[data-study]");
    var csrf = bar ? bar.getAttribute("data-csrf") : "";
    var resultEl = section.querySelector("[data-self-check-result]");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = {};
      section.querySelectorAll("[data-question]").forEach(function (fieldset) {
        var number = fieldset.getAttribute("data-question");
        var chosen = [];
        fieldset.querySelectorAll("input:checked").forEach(function (input) { chosen.push(input.value); });
        answers[number] = chosen.join("");
      });
      post(url, csrf, { answers: answers }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (!result.ok) {
          resultEl.textContent = result.data && result.data.detail ? result.data.detail : "提交失败，请重试。";
          return;
        }
        var data = result.data;
        section.querySelectorAll("[data-question]").forEach(function (fieldset, index) {
          var feedback = fieldset.querySelector("[data-feedback]");
          var item = data.results[index];
          if (!feedback || !item) return;
          feedback.hidden = false;
          feedback.className = "self-check__feedback " + (item.correct ? "is-correct" : "is-wrong");
          feedback.textContent = (item.correct ? "✓ 回答正确。" : "✗ 正确答案：" + item.answer + "。") + (item.explanation ? " " + item.explanation : "");
        });
        if (data.passed && data.lesson_completed) {
          resultEl.textContent = "全部答对，本课已完成！";
        } else if (data.passed) {
          resultEl.textContent = "全部答对！再学满 " + data.min_minutes + " 分钟即完成本课（已学 " + data.studied_minutes + " 分钟）。";
        } else {
          resultEl.textContent = "还有题目答错了，看看解析再试一次。";
        }
        var lessonEl = document.querySelector("[data-study-lesson-status]");
        if (lessonEl && data.lesson_completed) lessonEl.textContent = "已完成";
      }).catch(function () {
        resultEl.textContent = "网络不稳定，请稍后再提交。";
      });
    });
  }

  document.querySelectorAll("[data-study]").forEach(initHeartbeat);
  document.querySelectorAll("[data-self-check-url]").forEach(initSelfCheck);
})();
