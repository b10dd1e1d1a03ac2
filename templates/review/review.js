// The review packet's script: comments, replies, resolving, sign-off, and saving and loading the
// reviewer's work as a .baton-review.json file. It reads only the data Baton wrote into the page
// and the file the reviewer chooses; it makes no network request (the page's CSP forbids any).
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("packet-data").textContent);
  const $ = (id) => document.getElementById(id);
  const review = { comments: [], resolved: [], signoff: null };
  let selected = null; // {kind, id, name}
  let replyTo = null;

  const targets = new Map(data.targets.map((t) => [t.kind + ":" + t.id, t]));
  // Each step and state drawn in a diagram, with its SVG group.
  const drawn = [];
  for (const [figure, nodes] of [
    ["current", data.current_nodes],
    ["proposed", data.proposed_nodes],
  ]) {
    const root = document.querySelector('[data-figure="' + figure + '"]');
    if (!root) continue;
    for (const n of nodes) {
      const g = root.querySelector('g[data-node="' + CSS.escape(n.node) + '"]');
      if (g) drawn.push({ n, g });
    }
  }
  const phi = data.phi.map((p) => ({ kind: p.kind, re: new RegExp(p.source, p.flags) }));

  function looksLikePhi(text) {
    for (const p of phi) {
      p.re.lastIndex = 0;
      const m = p.re.exec(text);
      if (m) return p.kind + " (“" + m[0] + "”)";
    }
    return null;
  }

  function watch(input, warning) {
    const check = () => {
      const found = looksLikePhi(input.value);
      warning.hidden = !found;
      warning.textContent = found
        ? "This looks like a patient identifier: " + found + ". Remove it: the review file must not carry patient information."
        : "";
    };
    input.addEventListener("input", check);
    return check;
  }

  function newId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "rv-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function reviewer() {
    return { name: $("reviewer-name").value.trim(), role: $("reviewer-role").value.trim() };
  }

  function authorLabel() {
    const r = reviewer();
    return r.role ? r.name + " (" + r.role + ")" : r.name;
  }

  function say(text, bad) {
    const s = $("status");
    s.textContent = text;
    s.className = bad ? "bad" : "";
  }

  function needName() {
    if (reviewer().name) return false;
    say("Enter your name first (top of the page).", true);
    $("reviewer-name").focus();
    return true;
  }

  function allComments() {
    return data.comments.concat(review.comments);
  }

  function isResolved(c) {
    return c.resolved || review.resolved.includes(c.id);
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderThread() {
    const thread = $("thread");
    thread.replaceChildren();
    if (!selected) return;
    const here = allComments().filter((c) => c.target_kind === selected.kind && c.target_id === selected.id);
    const roots = here.filter((c) => !c.parent_id || !here.some((p) => p.id === c.parent_id));
    if (here.length === 0) thread.append(el("p", { class: "hint" }, "No comments yet."));
    const draw = (c, depth) => {
      const mine = review.comments.includes(c);
      const box = el("div", { class: "comment" + (isResolved(c) ? " resolved" : "") + (depth ? " reply" : ""), "data-comment": c.id });
      box.append(el("p", { class: "who" }, (c.author || "Consultant") + " · " + (c.created_at || "").slice(0, 10) + (isResolved(c) ? " · resolved" : "")));
      box.append(el("p", { class: "text" }, c.text));
      const row = el("div", { class: "row" });
      const reply = el("button", { type: "button" }, "Reply");
      reply.addEventListener("click", () => {
        replyTo = c;
        $("comment-label").textContent = "Your reply to " + (c.author || "the consultant");
        $("comment-cancel").hidden = false;
        $("comment-text").focus();
      });
      row.append(reply);
      if (!isResolved(c)) {
        const resolve = el("button", { type: "button" }, "Mark resolved");
        resolve.addEventListener("click", () => {
          if (mine) c.resolved = true;
          else review.resolved.push(c.id);
          changed();
        });
        row.append(resolve);
      }
      if (mine) {
        const remove = el("button", { type: "button" }, "Delete");
        remove.addEventListener("click", () => {
          const gone = new Set([c.id]);
          review.comments = review.comments.filter((x) => !gone.has(x.id) && !gone.has(x.parent_id));
          changed();
        });
        row.append(remove);
      }
      box.append(row);
      thread.append(box);
      for (const r of here.filter((x) => x.parent_id === c.id)) draw(r, depth + 1);
    };
    for (const c of roots) draw(c, 0);
  }

  function mark() {
    const counts = new Map();
    for (const c of allComments()) {
      if (isResolved(c)) continue;
      const key = c.target_kind + ":" + c.target_id;
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    for (const { n, g } of drawn) {
      g.classList.toggle("has-comments", counts.has(n.kind + ":" + n.id));
      g.classList.toggle("selected", !!selected && selected.kind === n.kind && selected.id === n.id);
    }
    for (const row of document.querySelectorAll("tr.target")) {
      const key = row.dataset.kind + ":" + row.dataset.id;
      row.classList.toggle("has-comments", counts.has(key));
      row.classList.toggle("selected", !!selected && selected.kind === row.dataset.kind && selected.id === row.dataset.id);
      const n = counts.get(key) || 0;
      row.title = n ? n + (n === 1 ? " open comment" : " open comments") : "";
    }
  }

  function changed() {
    renderThread();
    mark();
    say("Not saved yet: press Save review when you are done.", false);
  }

  function select(kind, id) {
    const t = targets.get(kind + ":" + id);
    if (!t) return;
    selected = t;
    replyTo = null;
    $("panel-title").textContent = { step: "Step", state: "State", transition: "Transition" }[kind] + ": " + t.name;
    $("panel-hint").hidden = true;
    $("comment-form").hidden = false;
    $("comment-label").textContent = "Your comment";
    $("comment-cancel").hidden = true;
    renderThread();
    mark();
  }

  // Clicks on the diagrams' steps and states, and on the tables' rows.
  for (const { n, g } of drawn) {
    g.classList.add("clickable");
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", "Comment on " + n.name);
    g.addEventListener("click", () => select(n.kind, n.id));
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        select(n.kind, n.id);
      }
    });
  }
  for (const row of document.querySelectorAll("tr.target")) {
    row.addEventListener("click", () => select(row.dataset.kind, row.dataset.id));
    row.addEventListener("keydown", (e) => {
      if (e.key === "Enter") select(row.dataset.kind, row.dataset.id);
    });
  }

  const checkComment = watch($("comment-text"), $("comment-phi"));
  watch($("reviewer-name"), $("reviewer-phi"));
  watch($("reviewer-role"), $("reviewer-phi"));
  $("comment-cancel").addEventListener("click", () => {
    replyTo = null;
    $("comment-label").textContent = "Your comment";
    $("comment-cancel").hidden = true;
  });
  $("comment-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!selected || needName()) return;
    const text = $("comment-text").value.trim();
    if (!text) {
      $("comment-text").focus();
      return;
    }
    review.comments.push({
      id: newId(),
      target_kind: selected.kind,
      target_id: selected.id,
      parent_id: replyTo ? replyTo.id : null,
      author: authorLabel(),
      text,
      created_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      resolved: false,
    });
    $("comment-text").value = "";
    checkComment();
    replyTo = null;
    $("comment-label").textContent = "Your comment";
    $("comment-cancel").hidden = true;
    changed();
  });

  const form = $("signoff-form");
  if (form) {
    const today = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    $("signoff-date").value = today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate());
    watch($("signoff-comment"), $("signoff-phi"));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (needName()) return;
      const choice = form.querySelector('input[name="decision"]:checked');
      const state = $("signoff-state");
      if (!choice) {
        state.textContent = "Choose Approve or Request changes.";
        return;
      }
      const comment = $("signoff-comment").value.trim();
      if (choice.value === "changes_requested" && !comment) {
        state.textContent = "Say which changes you request.";
        $("signoff-comment").focus();
        return;
      }
      const r = reviewer();
      review.signoff = { name: r.name, role: r.role, signed_on: $("signoff-date").value, decision: choice.value, comment };
      showSignoff();
      changed();
    });
  }

  function showSignoff() {
    const state = $("signoff-state");
    if (!state) return;
    const s = review.signoff;
    state.textContent = s
      ? (s.decision === "approved" ? "Approved" : "Changes requested") + " by " + s.name + (s.role ? " (" + s.role + ")" : "") + " on " + s.signed_on + "."
      : "";
  }

  $("save").addEventListener("click", () => {
    if (needName()) return;
    const file = {
      format: "baton-review",
      format_version: 1,
      project_id: data.project_id,
      workflow_id: data.workflow_id,
      workflow: data.workflow,
      version_id: data.version_id,
      version: data.version,
      content_hash: data.content_hash,
      content_scheme: data.content_scheme,
      reviewed_version: data.reviewed_version,
      reviewer: reviewer(),
      comments: review.comments,
      resolved: review.resolved,
      signoff: review.signoff,
      saved_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    };
    const blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    const a = el("a", { href: URL.createObjectURL(blob), download: data.stem + ".baton-review.json" });
    document.body.append(a);
    a.click();
    a.remove();
    say("Saved " + data.stem + ".baton-review.json to your downloads. Send that file back to the consultant.", false);
  });

  $("load").addEventListener("change", async (e) => {
    const f = e.target.files && e.target.files[0];
    if (!f) return;
    try {
      const saved = JSON.parse(await f.text());
      if (saved.format !== "baton-review") throw new Error("this is not a saved review");
      if (saved.content_hash !== data.content_hash || saved.version_id !== data.version_id)
        throw new Error("it is a review of another version; open the packet it was saved from");
      review.comments = (saved.comments || []).filter((c) => targets.has(c.target_kind + ":" + c.target_id));
      review.resolved = saved.resolved || [];
      review.signoff = saved.signoff || null;
      $("reviewer-name").value = (saved.reviewer && saved.reviewer.name) || "";
      $("reviewer-role").value = (saved.reviewer && saved.reviewer.role) || "";
      if (review.signoff && form) {
        const radio = form.querySelector('input[name="decision"][value="' + review.signoff.decision + '"]');
        if (radio) radio.checked = true;
        $("signoff-date").value = review.signoff.signed_on;
        $("signoff-comment").value = review.signoff.comment;
      }
      showSignoff();
      renderThread();
      mark();
      say("Loaded the review saved " + (saved.saved_at || "").slice(0, 10) + ": " + review.comments.length + " comments.", false);
    } catch (err) {
      say("Could not load " + f.name + ": " + err.message + ".", true);
    }
    e.target.value = "";
  });

  // The comments panel stays in view just under the header, however tall the header wraps.
  const fitPanel = () =>
    document.documentElement.style.setProperty("--header", document.querySelector("header").offsetHeight + "px");
  window.addEventListener("resize", fitPanel);
  fitPanel();

  window.addEventListener("beforeunload", (e) => {
    if ($("status").textContent.startsWith("Not saved")) e.preventDefault();
  });

  mark();
})();
