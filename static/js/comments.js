// Discussion enhancements: inline replies, quoting, preview, a character counter, drafts
// kept in localStorage, and posting without leaving the page. Everything works without it:
// the Reply links lead to a reply page and the form posts normally.
(function () {
  "use strict";

  // After posting we reload at #comment-N with scroll restoration off: bring it into view.
  if (history.scrollRestoration === "manual") {
    var landed = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (landed) {
      landed.scrollIntoView();
    }
    history.scrollRestoration = "auto";
  }

  var form = document.getElementById("comment-form") || document.getElementById("comment-edit-form");
  if (!form) {
    return;
  }
  var body = form.querySelector("textarea[name=body]");
  var statusBox = form.querySelector("[data-status]");
  var counter = form.querySelector("[data-counter]");
  var parentInput = form.querySelector("input[name=parent]");
  var replying = form.querySelector("[data-replying]");
  var submitButton = form.querySelector("[data-submit]");
  var previewButton = form.querySelector("[data-preview-button]");
  var previewBox = form.querySelector("[data-preview]");
  var maxLength = parseInt(form.dataset.maxLength || "10000", 10);
  var storageKey = form.dataset.storageKey || "";
  var home = document.createComment("comment form home");
  form.parentNode.insertBefore(home, form);

  // Drafts: saved as typed (the text, and the name, email, website and the "Ask the author"
  // box with it), restored
  // after a reload or a failed submit, cleared only once the comment is visible to its
  // writer (published, or awaiting moderation where only they can see it).
  var identity = ["name", "email", "url"].map(function (name) {
    return form.querySelector("input[name=" + name + "]");
  }).filter(Boolean);
  var asksAuthor = form.querySelector("input[name=asks_author]");
  function draftKey() {
    return storageKey ? storageKey + ":" + (parentInput && parentInput.value ? parentInput.value : "top") : "";
  }
  function saveDraft() {
    var key = draftKey();
    if (!key) { return; }
    try {
      if (body.value) {
        var draft = { body: body.value };
        identity.forEach(function (input) { draft[input.name] = input.value; });
        if (asksAuthor) { draft.asks_author = asksAuthor.checked; }
        localStorage.setItem(key, JSON.stringify(draft));
      } else {
        localStorage.removeItem(key);
      }
    } catch (e) { /* private mode or full storage: the server keeps the text on errors */ }
  }
  function loadDraft() {
    var key = draftKey();
    if (!key) { return null; }
    var raw;
    try { raw = localStorage.getItem(key); } catch (e) { return null; }
    if (!raw) { return null; }
    try {
      var draft = JSON.parse(raw);
      if (draft && typeof draft.body === "string") { return draft; }
    } catch (e) { /* a draft saved as plain text by an earlier version */ }
    return { body: raw };
  }
  function clearDraft() {
    var key = draftKey();
    if (!key) { return; }
    try { localStorage.removeItem(key); } catch (e) { /* nothing to clear */ }
  }
  function restoreDraft() {
    var draft = loadDraft();
    if (draft && draft.body && !body.value) {
      body.value = draft.body;
      identity.forEach(function (input) {
        if (!input.value && typeof draft[input.name] === "string") { input.value = draft[input.name]; }
      });
      if (asksAuthor && draft.asks_author === true) { asksAuthor.checked = true; }
      updateCounter();
      say("Your unsent comment was restored.", false);
    }
  }
  identity.forEach(function (input) {
    input.addEventListener("input", function () { if (body.value) { saveDraft(); } });
  });
  if (asksAuthor) {
    asksAuthor.addEventListener("change", function () { if (body.value) { saveDraft(); } });
  }

  // Errors from the server, shown beside their fields as the page without JavaScript does.
  function clearFieldErrors() {
    form.querySelectorAll("[data-js-error]").forEach(function (list) {
      var input = form.querySelector("[name=" + list.getAttribute("data-js-error") + "]");
      if (input) {
        input.removeAttribute("aria-invalid");
        var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
          return id && id !== list.id;
        });
        if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); } else { input.removeAttribute("aria-describedby"); }
      }
      list.remove();
    });
  }
  function showFieldErrors(errors) {
    var first = null;
    Object.keys(errors || {}).forEach(function (field) {
      var input = form.querySelector("[name=" + field + "]:not([type=hidden])");
      if (!input) { return; }
      var list = document.createElement("ul");
      list.className = "errorlist";
      list.id = "id_" + field + "_error";
      list.setAttribute("data-js-error", field);
      (errors[field] || []).forEach(function (error) {
        var item = document.createElement("li");
        item.textContent = error.message;
        list.appendChild(item);
      });
      input.insertAdjacentElement("beforebegin", list);
      input.setAttribute("aria-invalid", "true");
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(list.id) < 0) { described.unshift(list.id); }
      input.setAttribute("aria-describedby", described.join(" "));
      first = first || input;
    });
    return first;
  }

  function say(message, isError) {
    if (!statusBox) { return; }
    statusBox.textContent = "";
    statusBox.classList.toggle("comment-form__status--error", Boolean(isError));
    statusBox.setAttribute("role", isError ? "alert" : "status");
    if (message) {
      var p = document.createElement("p");
      p.textContent = message;
      statusBox.appendChild(p);
    }
  }

  function updateCounter() {
    if (!counter) { return; }
    var used = body.value.length;
    var left = maxLength - used;
    counter.textContent = used.toLocaleString() + " of " + maxLength.toLocaleString() + " characters";
    counter.textContent += left < 0 ? " — " + (-left).toLocaleString() + " too many." : ".";
    counter.classList.toggle("comment-form__counter--over", left < 0);
  }

  body.addEventListener("input", function () {
    updateCounter();
    saveDraft();
  });
  updateCounter();
  if (form.dataset.failed) {
    saveDraft(); // the server gave the text back: keep it safe in this browser too
  } else {
    restoreDraft();
  }

  // Inline replies: the one form moves under the comment being answered.
  function commentOf(element) {
    return element.closest(".comment-list article");
  }
  function idOf(article) {
    return article.id.replace("comment-", "");
  }
  function authorOf(article) {
    var name = article.querySelector(".comment__author [property=name]");
    return name ? name.textContent : "";
  }
  function replyTo(article, focus) {
    if (!parentInput || !replying) { return; }
    var actions = article.querySelector(".comment__actions");
    (actions || article.firstElementChild).insertAdjacentElement("afterend", form);
    // The text travels with the form: move its draft to the new place too.
    clearDraft();
    parentInput.value = idOf(article);
    saveDraft();
    var link = replying.querySelector("[data-replying-link]");
    link.textContent = authorOf(article) || "this comment";
    link.setAttribute("href", "#" + article.id);
    replying.hidden = false;
    form.classList.add("comment-form--inline");
    restoreDraft();
    if (focus) { body.focus(); }
  }
  function cancelReply() {
    if (!parentInput) { return; }
    clearDraft();
    parentInput.value = "";
    saveDraft();
    replying.hidden = true;
    form.classList.remove("comment-form--inline");
    home.parentNode.insertBefore(form, home.nextSibling);
    restoreDraft();
    body.focus();
  }
  if (replying) {
    replying.querySelector("[data-cancel-reply]").addEventListener("click", cancelReply);
  }
  document.addEventListener("click", function (event) {
    var replyLink = event.target.closest("a[data-reply]");
    if (replyLink && parentInput) {
      event.preventDefault();
      replyTo(commentOf(replyLink), true);
      return;
    }
    var quoteButton = event.target.closest("button[data-quote]");
    if (quoteButton) {
      event.preventDefault();
      quote(commentOf(quoteButton));
    }
  });
  if (parentInput && parentInput.value && !form.closest("article")) {
    var target = document.getElementById("comment-" + parentInput.value);
    if (target && target.closest(".comment-list") && document.querySelector("#comments")) {
      replyTo(target, false);
    }
  }

  // Quote: selecting text inside a comment offers a Quote button for that comment.
  var selectedText = "";
  var shownQuote = null;
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    var text = selection ? selection.toString().trim() : "";
    var article = null;
    if (text && selection.rangeCount) {
      var node = selection.getRangeAt(0).commonAncestorContainer;
      var element = node.nodeType === 1 ? node : node.parentElement;
      if (element && element.closest(".comment__body") && !element.closest("form")) {
        article = commentOf(element);
      }
    }
    if (article) {
      selectedText = text;
      // One Quote button, created on demand next to the comment's own actions.
      var actions = article.querySelector(":scope > .comment__actions");
      if (!actions) { return; }
      if (!shownQuote) {
        shownQuote = document.createElement("button");
        shownQuote.type = "button";
        shownQuote.className = "link-button comment__quote";
        shownQuote.setAttribute("data-quote", "");
        shownQuote.innerHTML = 'Quote<span class="visually-hidden"> the selected text in a reply</span>';
      }
      if (shownQuote.parentNode !== actions) {
        var replyLink = actions.querySelector("a[data-reply]");
        if (replyLink) { replyLink.after(shownQuote); } else { actions.prepend(shownQuote); }
      }
      shownQuote.hidden = false;
    }
  });
  function quote(article) {
    if (!article || !selectedText) { return; }
    var name = authorOf(article) || "a reader";
    var lines = selectedText.split(/\r?\n/).map(function (line) { return "> " + line; });
    var markdown = "> **[" + name.replace(/[\[\]]/g, "") + "](/comments/" + idOf(article) + "/) wrote:**\n>\n" + lines.join("\n") + "\n\n";
    replyTo(article, false);
    body.value = body.value ? body.value.replace(/\s*$/, "\n\n") + markdown : markdown;
    updateCounter();
    saveDraft();
    body.focus();
    body.setSelectionRange(body.value.length, body.value.length);
  }

  // Preview, rendered by the server exactly as a published comment would be.
  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  if (previewButton && previewBox && form.dataset.previewUrl) {
    previewButton.hidden = false;
    previewButton.addEventListener("click", function () {
      var data = new FormData();
      data.append("body", body.value);
      fetch(form.dataset.previewUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" }
      }).then(function (response) {
        if (response.status === 429) {
          return response.json().then(function (result) { throw new Error(result.error); });
        }
        if (!response.ok) { throw new Error(""); }
        return response.json();
      }).then(function (result) {
        previewBox.querySelector("[data-preview-body]").innerHTML = result.html; // sanitized by the server
        previewBox.hidden = false;
        say("Preview updated below the text box.", false);
      }).catch(function (error) {
        say((error && error.message) || "The preview is not available right now; your text is safe.", true);
      });
    });
  }

  // Posting without leaving the page; errors keep the text where it is.
  if (form.id !== "comment-form") { return; }
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.hasAttribute("data-external-sign-in")) {
      saveDraft(); // "Sign in with … to comment" posts the form to the server, which keeps the text
      return;
    }
    event.preventDefault();
    if (sending) { return; } // a double click sends once (the server also deduplicates)
    sending = true;
    saveDraft();
    if (submitButton) { submitButton.disabled = true; }
    say("Sending your comment…", false);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, message: "Something went wrong on our side and your comment was not saved. Your text is still in the box; please try again in a moment." };
      });
    }).then(function (result) {
      clearFieldErrors();
      if (result.ok && result.status !== "approved" && result.status !== "pending") {
        // Stored but shown to nobody: keep the text and the draft, and say so.
        say(result.message, true);
        statusBox.focus();
        return;
      }
      if (result.ok) {
        clearDraft();
        say(result.message, false);
        var url = new URL(result.url, window.location.href);
        if (url.pathname === window.location.pathname && url.search === window.location.search) {
          window.location.hash = url.hash;
          // Land on the new comment, not where the browser would restore the old scroll.
          history.scrollRestoration = "manual";
          window.location.reload();
        } else {
          window.location.assign(url.href);
        }
        return;
      }
      if (result.csrf_token) {
        var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
        if (tokenInput) { tokenInput.value = result.csrf_token; }
      }
      if (result.started) {
        var startedInput = form.querySelector("input[name=started]");
        if (startedInput) { startedInput.value = result.started; }
      }
      var details = [];
      (((result.errors || {}).__all__) || []).forEach(function (error) { details.push(error.message); });
      say(result.message + (details.length ? " " + details.join(" ") : ""), true);
      showFieldErrors(result.errors);
      statusBox.focus();
    }).catch(function () {
      say("We could not reach the server, so your comment was not sent. Your text is still in the box: press Publish again when you are back online.", true);
    }).then(function () {
      sending = false;
      if (submitButton) { submitButton.disabled = false; }
    });
  });
  if (statusBox) { statusBox.setAttribute("tabindex", "-1"); }
  if (form.dataset.failed && statusBox) { statusBox.focus(); }
})();
