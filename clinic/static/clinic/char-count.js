/* A live count of characters under each input with a data-char-limit attribute
   (SEO title and description): "42 characters of 70", past the limit marked and
   announced. The words come from the admin's JavaScript catalog (ngettext,
   interpolate), so they are translated with their plural forms. */
"use strict";
(function () {
  function describe(count, limit) {
    const text = interpolate(
      ngettext("%(count)s character of %(limit)s", "%(count)s characters of %(limit)s", count),
      { count: count, limit: limit },
      true
    );
    if (count <= limit) {
      return text;
    }
    const over = count - limit;
    return text + " · " + interpolate(
      ngettext("%(over)s character too many", "%(over)s characters too many", over),
      { over: over },
      true
    );
  }

  function attach(input) {
    const limit = Number(input.dataset.charLimit);
    const counter = document.createElement("div");
    counter.className = "char-count";
    counter.id = input.id + "_charcount";
    counter.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", counter);
    input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), counter.id].filter(Boolean).join(" "));
    function update() {
      const count = Array.from(input.value).length;
      counter.textContent = describe(count, limit);
      counter.classList.toggle("char-count-over", count > limit);
    }
    input.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-char-limit]").forEach(attach);
  });
})();
