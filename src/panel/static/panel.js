// Progressive enhancement: the feed form shows its preview as you type. Without this script
// the Preview button does the same with a page load.
const form = document.getElementById('feed-form');
const target = document.getElementById('feed-preview');
if (form && target) {
  let timer;
  let asked = 0;
  const update = async () => {
    const data = new FormData(form);
    const query = new URLSearchParams({ topic: data.get('topic') || '', source: data.get('source') || '' });
    if (!query.get('topic') && !query.get('source')) return;
    const mine = ++asked;
    const response = await fetch(`${form.dataset.preview}?${query}`, { credentials: 'same-origin' });
    if (!response.ok || mine !== asked) return;
    const heading = document.createElement('h2');
    heading.textContent = 'Preview';
    const holder = document.createElement('div');
    // The fragment is rendered and escaped by the panel's own templates.
    holder.innerHTML = await response.text();
    target.replaceChildren(heading, holder);
    target.dataset.ready = 'true';
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
}
