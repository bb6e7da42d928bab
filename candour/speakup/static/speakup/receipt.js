// Progressive enhancement of the receipt page: buttons to copy the code and to print the page. Without
// JavaScript the page still shows the code to write down, and the browser can print it.
const code = document.getElementById("receipt-code");
const actions = document.getElementById("receipt-actions");
const status = document.getElementById("receipt-status");

function addButton(text, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "nhsuk-button nhsuk-button--secondary";
  button.textContent = text;
  button.addEventListener("click", onClick);
  actions.append(button);
}

if (code && actions) {
  if (navigator.clipboard && window.isSecureContext) {
    addButton("Copy code", async () => {
      try {
        await navigator.clipboard.writeText(code.dataset.code);
        status.textContent = actions.dataset.copied;
      } catch {
        status.textContent = "Your browser did not let us copy it. Write it down instead.";
      }
    });
  }
  addButton("Print this page", () => window.print());
}
