// Progressive enhancement only: every page works without this file.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

// The header closes its "More" menu on Escape but leaves focus inside the hidden menu: give focus back to
// the button that opened it, so a keyboard user is not lost (WCAG 2.4.3).
document.addEventListener(
  "keydown",
  (event) => {
    const toggle = document.querySelector(".nhsuk-header__menu-toggle[aria-expanded='true']");
    if (event.key === "Escape" && toggle) {
      setTimeout(() => toggle.focus());
    }
  },
  true,
);
