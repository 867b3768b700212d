/* Language tabs (built by modeltranslation's tabbed_translation_fields.js, which
   runs first): each tab and each option of the main language switch shows the
   language's own name ("English", "العربيّة", "Українська"), read from the
   data-language-name attribute the server puts on every translated input; and
   the main switch shows the language of the tabs it opened on (modeltranslation
   opens them on the page's language but leaves the switch on the first one). */
"use strict";
(function ($) {
  function languageName(panelId) {
    const input = document.querySelector(`[id="${panelId}"] [data-language-name]`);
    return input ? input.dataset.languageName : null;
  }

  $(function () {
    const codes = [];
    document.querySelectorAll(".ui-tabs-nav a[href^='#tab_']").forEach(function (link) {
      const name = languageName(link.getAttribute("href").slice(1));
      if (!name) {
        return;
      }
      const input = document.querySelector(`[id="${link.getAttribute("href").slice(1)}"] [lang]`);
      link.textContent = name;
      link.lang = input ? input.lang : "";
      if (input && !codes.includes(input.lang)) {
        codes.push(input.lang);
      }
    });
    const mainSwitch = document.getElementById("modeltranslation-main-switch");
    if (!mainSwitch) {
      return;
    }
    mainSwitch.querySelectorAll("option").forEach(function (option) {
      const link = document.querySelector(`.ui-tabs-nav li:nth-child(${Number(option.value) + 1}) a[lang]`);
      if (link) {
        option.textContent = link.textContent;
        option.lang = link.lang;
      }
    });
    const firstTabs = document.querySelector(".ui-tabs");
    if (firstTabs) {
      const active = $(firstTabs).tabs("option", "active");
      if (typeof active === "number") {
        mainSwitch.value = String(active);
      }
    }
  });
})(django.jQuery);
