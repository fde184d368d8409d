// Ask before a form marked data-confirm is sent (removing a data sharing row, for instance).
// A static file rather than inline script, so that a Content-Security-Policy can forbid inline code.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Bulk regeneration of outdated addenda: one short request per batch, with the progress shown,
// until the server says nothing is left.
function regenerateOutdated(box) {
  const bar = box.querySelector(".progress-bar");
  const total = Number(box.dataset.total);
  const token = box.querySelector("input[name=csrf_token]").value;
  let after = 0;
  let done = 0;
  let regenerated = 0;
  const show = () => {
    bar.style.width = `${Math.round((100 * done) / Math.max(total, 1))}%`;
    bar.textContent = `${done} / ${total}`;
  };
  const step = async () => {
    const body = new URLSearchParams({ csrf_token: token, after: String(after) });
    const response = await fetch(box.dataset.url, { method: "POST", body });
    if (!response.ok) throw new Error(String(response.status));
    const batch = await response.json();
    after = batch.last_id;
    regenerated += batch.regenerated;
    done += batch.regenerated + Object.keys(batch.failed).length;
    for (const [name, reason] of Object.entries(batch.failed)) {
      const item = document.createElement("li");
      item.textContent = `${box.dataset.failedText}: ${name}: ${reason}`;
      box.querySelector("[data-failures]").append(item);
    }
    show();
    if (!batch.finished) return step();
    box.querySelector("[data-result]").textContent = box.dataset.doneText.replace("{n}", regenerated);
  };
  box.querySelector("button").addEventListener("click", (event) => {
    event.target.disabled = true;
    box.querySelector(".progress").classList.remove("d-none");
    show();
    step().catch((error) => {
      box.querySelector("[data-result]").textContent = `${box.dataset.failedText}: ${error.message}`;
    });
  });
}

document.querySelectorAll("#regenerate").forEach(regenerateOutdated);
