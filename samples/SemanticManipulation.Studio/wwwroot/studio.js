// The studio's page: one module, no dependencies. State lives on the server; the page keeps only the paint of the
// stroke being drawn and the masks it sent (to draw the stroke overlay). Everything a browser test needs to observe is
// reflected in the DOM: body[data-state], #status[data-state], #preview[data-version], #messages[data-kind].

const $ = (id) => document.getElementById(id);
const api = (path) => `/api${path}`;

const studio = {
  model: null,          // GET /api/model
  sessionId: null,
  state: null,          // the last SessionState
  masks: new Map(),     // stroke id -> Uint8Array(S*S), the masks this tab sent
  pending: null,        // Uint8Array(S*S): paint not yet applied
  pendingPainted: false,
  previewVersion: 0,
  references: [],       // uploaded reference ids
  opening: false,       // a photo is being opened: painting waits for it
};
window.studio = studio; // for tests and the curious

// ---- status, messages, progress -------------------------------------------------------------------------------

function setStatus(state, text) {
  document.body.dataset.state = state;
  $('status').dataset.state = state;
  $('status').textContent = text;
}

function showMessage(text, kind = 'error') {
  const box = $('messages');
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
}

function clearMessage() {
  $('messages').hidden = true;
  $('messages').textContent = '';
  delete $('messages').dataset.kind;
}

function setProgress(value, label) {
  $('progress').value = value;
  $('progress-label').textContent = label;
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function failure(response) {
  let message = `${response.status} ${response.statusText}`;
  try { message = (await response.json()).error ?? message; } catch { /* not JSON */ }
  return new ApiError(response.status, message);
}

function report(error) {
  if (error instanceof ApiError && error.status === 410) {
    setStatus('expired', 'Session expired');
    showMessage(error.message, 'expired');
    return;
  }
  // body[data-state] says 'error' too (not 'ready'): a refused stroke must not look like an applied one.
  setStatus('error', 'Refused');
  showMessage(error.message, 'error');
}

async function call(method, path, body, contentType) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.body = body;
    if (contentType) init.headers['Content-Type'] = contentType;
  }
  const response = await fetch(api(path), init);
  if (!response.ok) throw await failure(response);
  return response.status === 204 ? null : response.json();
}

// Long jobs stream NDJSON: started, progress…, then done | cancelled | error.
async function stream(path, body, kind) {
  const response = await fetch(api(path), { method: 'POST', body });
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let outcome = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line) continue;
      const event = JSON.parse(line);
      if (event.type === 'progress') {
        setProgress(event.step / event.total,
          `${event.stage} ${event.step}/${event.total} · ${event.psnrDb.toFixed(2)} dB · ${event.elapsedSeconds.toFixed(1)} s`);
        $('progress').dataset.stage = event.stage;
      } else if (event.type !== 'started') {
        outcome = event;
      }
    }
  }
  if (!outcome) throw new ApiError(0, `The ${kind} stopped without an answer; try again.`);
  if (outcome.type === 'cancelled') return { cancelled: true, message: outcome.error };
  if (outcome.type === 'error') throw new ApiError(outcome.status, outcome.error);
  return { state: outcome.state };
}

// ---- session ---------------------------------------------------------------------------------------------------

// A loaded page may find its session still busy: with the job the reload interrupted (cancelled, it stops at its next
// step) or one a duplicated tab runs. Follow it until it ends, so the page does not sit at "Loading…" with Render off.
async function followRunningJob() {
  while (studio.state?.busy) {
    const kind = studio.state.busy;
    setStatus(kind === 'open' ? 'opening' : 'rendering', `${kind === 'open' ? 'Opening' : 'Rendering'} (started before this page loaded)…`);
    $('render').disabled = true;
    $('cancel').disabled = false;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    try {
      applyState(await call('GET', sessionPath()));
    } catch (error) {
      report(error);
      break;
    }
  }
  $('cancel').disabled = true;
}

async function startSession() {
  // sessionStorage is per tab: each tab keeps its own session across reloads, and two tabs never share one.
  const saved = sessionStorage.getItem('studio-session');
  if (saved) {
    try {
      studio.sessionId = saved;
      applyState(await call('GET', `/sessions/${saved}`));
      return;
    } catch (error) {
      if (error instanceof ApiError && error.status === 410) showMessage(error.message + ' A new session was started.', 'expired');
    }
  }
  const state = await call('POST', '/sessions');
  studio.sessionId = state.sessionId;
  sessionStorage.setItem('studio-session', state.sessionId);
  applyState(state);
}

const sessionPath = (suffix = '') => `/sessions/${studio.sessionId}${suffix}`;

// ---- state -> DOM ----------------------------------------------------------------------------------------------

function applyState(state) {
  // Replies can overtake each other (a render's, taken before a stroke queued behind it): never go back to an older one.
  if (studio.state && state.sessionId === studio.state.sessionId && state.version < studio.state.version) return;
  studio.state = state;
  document.body.dataset.sessionId = state.sessionId;
  const hasPhoto = !!state.photo;
  if (hasPhoto) document.body.dataset.photo = state.photo.source; else delete document.body.dataset.photo;

  if (state.preview && $('preview').getAttribute('src') !== state.preview) {
    $('preview').src = state.preview;
    studio.previewVersion += 1;
    $('preview').dataset.version = String(studio.previewVersion);
  }
  if (!state.preview) $('preview').removeAttribute('src');

  updateEditButtons(state);
  $('render').disabled = !hasPhoto || !!state.busy;
  renderStrokeList(state.strokes);
  renderResult(state);
  drawOverlay();
  if (!state.busy) setStatus(hasPhoto ? (state.render && !state.render.stale ? 'rendered' : 'ready') : 'idle',
    hasPhoto ? `${state.photo.source} · ${state.strokes.length} stroke(s)` : 'Open a photo');
}

function updateEditButtons(state) {
  $('undo').disabled = studio.opening || !state.canUndo;
  $('redo').disabled = studio.opening || !state.canRedo;
  $('reset').disabled = studio.opening || !state.photo || (state.strokes.length === 0 && state.redoCount === 0);
}

function conceptColour(name) {
  return studio.model.concepts.find((c) => c.name === name)?.colour ?? '#ffffff';
}

function renderStrokeList(strokes) {
  const list = $('stroke-list');
  list.replaceChildren(...strokes.map((stroke) => {
    const item = document.createElement('li');
    item.setAttribute('data-testid', `stroke-${stroke.id}`);
    item.dataset.strokeId = String(stroke.id);
    const swatch = document.createElement('i');
    swatch.style.background = stroke.concept ? conceptColour(stroke.concept) : '#ffffff';
    const what = stroke.action === 'restyle'
      ? `restyle after ${stroke.reference}`
      : `${stroke.action} ${stroke.concept} (${stroke.intensity})`;
    const text = document.createTextNode(`${what}, strength ${stroke.strength.toFixed(2)}, ${(stroke.coverage * 100).toFixed(1)} %`);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '×';
    remove.title = 'Delete this stroke';
    remove.setAttribute('data-testid', `delete-stroke-${stroke.id}`);
    remove.addEventListener('click', () => run('applying', 'Deleting stroke…', async () =>
      applyState(await call('DELETE', sessionPath(`/strokes/${stroke.id}`)))));
    item.append(swatch, text, remove);
    if (stroke.notes.length) item.title = stroke.notes.join('\n');
    return item;
  }));
}

function renderResult(state) {
  const metrics = $('render-metrics');
  const render = state.render;
  $('compare-panel').hidden = !render;
  $('download-model').hidden = !render;
  $('download-full').hidden = !render;
  if (!render) {
    metrics.textContent = '';
    delete metrics.dataset.psnr;
    return;
  }
  const stamp = `v=${state.version}-${render.seconds}`;
  $('download-model').href = api(sessionPath(`/render.png?${stamp}`));
  $('download-full').href = api(sessionPath(`/render-full.png?${stamp}`));
  $('compare-before').src = api(sessionPath(`/photo.png?${stamp}`));
  $('compare-after').src = api(sessionPath(`/render.png?${stamp}`));
  // null: the unedited pixels match the photo exactly (an infinite PSNR).
  const psnr = render.uneditedPsnrDb === null ? '∞' : render.uneditedPsnrDb.toFixed(2);
  metrics.dataset.psnr = String(render.uneditedPsnrDb ?? Infinity);
  metrics.dataset.stale = String(render.stale);
  const shares = render.conceptShares.map((s) => `${s.concept} ${(s.before * 100).toFixed(0)} % → ${(s.after * 100).toFixed(0)} %`);
  metrics.textContent = `Unedited PSNR ${psnr} dB · ${render.adaptationSteps} steps in ` +
    `${render.seconds.toFixed(1)} s${shares.length ? ' · ' + shares.join(', ') : ''}${render.stale ? ' · strokes changed since' : ''}`;
}

// ---- painting ---------------------------------------------------------------------------------------------------

const overlay = $('overlay');
let painting = false;
let last = null;

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function selectedAction() { return document.querySelector('input[name=action]:checked').value; }
function selectedConcept() { return document.querySelector('#palette button[aria-checked="true"]')?.dataset.concept ?? null; }

function currentColour() {
  return selectedAction() === 'restyle' ? '#ffffff' : conceptColour(selectedConcept());
}

function drawOverlay() {
  const size = studio.model?.resolution;
  if (!size) return;
  const context = overlay.getContext('2d');
  const image = context.createImageData(size, size);
  // ImageData holds straight (not premultiplied) alpha: "over" compositing divides by the resulting alpha, so a stroke
  // shows its concept's colour; weighting the colour by alpha as well would darken the photo instead of tinting it.
  const paint = (mask, rgb, alpha) => {
    const data = image.data;
    for (let p = 0; p < mask.length; p++) {
      if (!mask[p]) continue;
      const a = (mask[p] / 255) * alpha;
      const o = p * 4;
      const below = data[o + 3] / 255;
      const out = a + below * (1 - a);
      for (let c = 0; c < 3; c++) data[o + c] = (rgb[c] * a + data[o + c] * below * (1 - a)) / out;
      data[o + 3] = 255 * out;
    }
  };
  if ($('show-strokes').checked && studio.state) {
    for (const stroke of studio.state.strokes) {
      const mask = studio.masks.get(stroke.id);
      if (mask) paint(mask, hexToRgb(stroke.concept ? conceptColour(stroke.concept) : '#ffffff'), 0.45);
    }
  }
  if (studio.pendingPainted) paint(studio.pending, hexToRgb(currentColour()), 0.6);
  context.putImageData(image, 0, 0);
}

function toModel(event) {
  const box = overlay.getBoundingClientRect();
  const size = studio.model.resolution;
  return [(event.clientX - box.left) * size / box.width, (event.clientY - box.top) * size / box.height];
}

function dab(x, y) {
  const size = studio.model.resolution;
  const radius = Number($('brush-size').value) / 2;
  const erase = $('eraser').checked;
  for (let py = Math.floor(y - radius); py <= Math.ceil(y + radius); py++) {
    for (let px = Math.floor(x - radius); px <= Math.ceil(x + radius); px++) {
      if (px < 0 || py < 0 || px >= size || py >= size) continue;
      const dx = px + 0.5 - x, dy = py + 0.5 - y;
      if (dx * dx + dy * dy <= radius * radius + 0.25) studio.pending[py * size + px] = erase ? 0 : 255;
    }
  }
}

function line(from, to) {
  const steps = Math.max(1, Math.ceil(Math.hypot(to[0] - from[0], to[1] - from[1]) * 2));
  for (let i = 0; i <= steps; i++) dab(from[0] + (to[0] - from[0]) * i / steps, from[1] + (to[1] - from[1]) * i / steps);
}

function updatePendingButtons() {
  studio.pendingPainted = studio.pending?.some((v) => v > 0) ?? false;
  $('apply-stroke').disabled = !studio.pendingPainted || !studio.state?.photo || studio.opening;
  $('clear-pending').disabled = !studio.pendingPainted;
}

overlay.addEventListener('pointerdown', (event) => {
  // While a photo opens, paint would belong to the photo being replaced.
  if (!studio.state?.photo || studio.opening || event.button !== 0) return;
  overlay.setPointerCapture(event.pointerId);
  painting = true;
  last = toModel(event);
  dab(...last);
  updatePendingButtons();
  drawOverlay();
});
overlay.addEventListener('pointermove', (event) => {
  if (!painting) return;
  const point = toModel(event);
  line(last, point);
  last = point;
  updatePendingButtons();
  drawOverlay();
});
const endPaint = () => {
  if (!painting) return;
  painting = false;
  updatePendingButtons();
  drawOverlay();
  if ($('auto-apply').checked && !$('eraser').checked && studio.pendingPainted) applyPending();
};
overlay.addEventListener('pointerup', endPaint);
overlay.addEventListener('pointercancel', endPaint);

function base64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function referenceOfSelection() {
  const [kind, value] = $('reference-select').value.split(':');
  if (kind === 'sample') return { sample: value };
  if (kind === 'seed') return { seed: Number(value) };
  if (kind === 'upload') return { upload: value };
  return null;
}

function applyPending() {
  const mask = studio.pending.slice();
  const action = selectedAction();
  const body = {
    action,
    concept: action === 'restyle' ? null : selectedConcept(),
    intensity: $('intensity').value,
    strength: Number($('strength').value),
    mask: base64(mask),
    reference: action === 'restyle' ? referenceOfSelection() : null,
    photo: studio.state.photo.number,   // a stroke for a photo replaced meanwhile is refused, not misapplied
  };
  studio.pending.fill(0);
  updatePendingButtons();
  return run('applying', 'Applying stroke…', async () => {
    let state;
    try {
      state = await call('POST', sessionPath('/strokes'), JSON.stringify(body), 'application/json');
    } catch (error) {
      // Refused: the paint is the user's work, so it comes back (merged with anything painted since).
      for (let i = 0; i < mask.length; i += 1) studio.pending[i] = Math.max(studio.pending[i], mask[i]);
      updatePendingButtons();
      drawOverlay();
      throw error;
    }
    const added = state.strokes[state.strokes.length - 1];
    if (added) studio.masks.set(added.id, mask);
    applyState(state);
  });
}

// ---- jobs -------------------------------------------------------------------------------------------------------

// Runs one request; the status line says what is happening, a refusal goes to the messages area.
async function run(state, text, work) {
  clearMessage();
  setStatus(state, text);
  try {
    await work();
  } catch (error) {
    report(error);
  }
}

async function longJob(kind, path, body) {
  clearMessage();
  setStatus(kind === 'open' ? 'opening' : 'rendering', kind === 'open' ? 'Opening: inverting and fitting the preview…' : 'Rendering…');
  setProgress(0, '');
  $('cancel').disabled = false;
  $('render').disabled = true;
  // Only the open that set the flag clears it: a second open the server refuses as busy must not.
  const opens = kind === 'open' && !studio.opening;
  if (opens) {
    studio.opening = true;
    if (studio.state) updateEditButtons(studio.state);
    updatePendingButtons();
  }
  try {
    const outcome = await stream(path, body, kind);
    if (outcome.cancelled) {
      applyState(await call('GET', sessionPath()));
      setStatus('cancelled', `${kind === 'open' ? 'Open' : 'Render'} cancelled`);
      showMessage(outcome.message, 'info');
      return;
    }
    if (kind === 'open') {
      studio.masks.clear();
      studio.pending = new Uint8Array(studio.model.resolution ** 2);
      updatePendingButtons();
    }
    applyState(outcome.state);
    setProgress(1, kind === 'open' ? 'opened' : 'rendered');
  } catch (error) {
    report(error);
    $('render').disabled = !studio.state?.photo;
  } finally {
    if (opens) studio.opening = false;
    $('cancel').disabled = true;
    if (studio.state) updateEditButtons(studio.state);
    updatePendingButtons();
  }
}

// ---- wiring -----------------------------------------------------------------------------------------------------

function buildPalette() {
  const palette = $('palette');
  palette.replaceChildren(...studio.model.concepts.map((concept, index) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'radio');
    button.setAttribute('aria-checked', String(index === 0));
    button.setAttribute('data-testid', `concept-${concept.name}`);
    button.dataset.concept = concept.name;
    button.dataset.colour = concept.colour;
    const swatch = document.createElement('i');
    swatch.style.background = concept.colour;
    button.append(swatch, document.createTextNode(concept.name));
    button.addEventListener('click', () => {
      for (const other of palette.children) other.setAttribute('aria-checked', 'false');
      button.setAttribute('aria-checked', 'true');
      drawOverlay();
    });
    return button;
  }));
}

function galleryItem(testid, src, label, open) {
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('data-testid', testid);
  button.title = `Open ${label}`;
  const image = document.createElement('img');
  image.src = src;
  image.alt = label;
  const caption = document.createElement('span');
  caption.textContent = label;
  button.append(image, caption);
  button.addEventListener('click', open);
  return button;
}

function buildGallery() {
  const items = [
    ...studio.model.samples.map((id) => galleryItem(`sample-${id}`, api(`/samples/${id}`), id,
      () => longJob('open', sessionPath(`/open/sample/${encodeURIComponent(id)}`)))),
    ...studio.model.seeds.map((seed) => galleryItem(`seed-${seed}`, api(`/generated/${seed}`), `seed ${seed}`,
      () => longJob('open', sessionPath(`/open/seed/${seed}`)))),
  ];
  $('gallery').replaceChildren(...items);
  refreshReferences();
}

function refreshReferences() {
  const select = $('reference-select');
  const previous = select.value;
  const options = [
    ...studio.model.samples.map((id) => [`sample:${id}`, `sample ${id}`]),
    ...studio.model.seeds.map((seed) => [`seed:${seed}`, `seed ${seed}`]),
    ...studio.references.map((id) => [`upload:${id}`, `uploaded ${id}`]),
  ];
  select.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
  if (options.some(([value]) => value === previous)) select.value = previous;
}

function updateActionControls() {
  const restyle = selectedAction() === 'restyle';
  $('reference-row').hidden = !restyle;
  $('palette').setAttribute('aria-disabled', String(restyle));
  $('intensity').disabled = restyle;
  drawOverlay();
}

function wire() {
  $('upload-input').addEventListener('change', (event) => {
    const file = event.target.files[0];
    event.target.value = '';
    if (file) longJob('open', sessionPath('/open/upload'), file);
  });
  $('open-seed').addEventListener('click', () => longJob('open', sessionPath(`/open/seed/${Number($('seed-input').value) || 0}`)));
  $('reference-upload').addEventListener('change', (event) => {
    const file = event.target.files[0];
    event.target.value = '';
    if (!file) return;
    run('applying', 'Uploading reference…', async () => {
      const { referenceId } = await call('POST', sessionPath('/references'), file);
      studio.references.push(referenceId);
      refreshReferences();
      $('reference-select').value = `upload:${referenceId}`;
      setStatus('ready', `Reference ${referenceId} uploaded`);
    });
  });
  for (const radio of document.querySelectorAll('input[name=action]')) radio.addEventListener('change', updateActionControls);
  $('strength').addEventListener('input', () => { $('strength-value').textContent = Number($('strength').value).toFixed(2); });
  $('brush-size').addEventListener('input', () => { $('brush-size-value').textContent = $('brush-size').value; });
  $('show-strokes').addEventListener('change', drawOverlay);
  $('apply-stroke').addEventListener('click', applyPending);
  $('clear-pending').addEventListener('click', () => { studio.pending.fill(0); updatePendingButtons(); drawOverlay(); });
  $('undo').addEventListener('click', () => run('applying', 'Undoing…', async () => applyState(await call('POST', sessionPath('/undo')))));
  $('redo').addEventListener('click', () => run('applying', 'Redoing…', async () => applyState(await call('POST', sessionPath('/redo')))));
  $('reset').addEventListener('click', () => run('applying', 'Resetting…', async () => applyState(await call('POST', sessionPath('/reset')))));
  $('render').addEventListener('click', () => longJob('render', sessionPath('/render')));
  $('cancel').addEventListener('click', async () => {
    try {
      await call('POST', sessionPath('/cancel'));
    } catch (error) {
      // 409: the job ended just before the click; its own outcome says how.
      if (!(error instanceof ApiError && error.status === 409)) report(error);
    }
  });
  $('compare-slider').addEventListener('input', () => {
    $('compare-after').style.clipPath = `inset(0 0 0 ${$('compare-slider').value}%)`;
  });
}

async function main() {
  wire();
  try {
    studio.model = await call('GET', '/model');
    const size = studio.model.resolution;
    overlay.width = size;
    overlay.height = size;
    studio.pending = new Uint8Array(size * size);
    // The brush is in model pixels: its range and starting width keep their share of the canvas at any model size.
    const brush = $('brush-size');
    brush.max = String(Math.max(16, size / 4));
    brush.value = String(Math.max(1, Math.round(size / 16)));
    $('brush-size-value').textContent = brush.value;
    $('model-info').textContent = `${studio.model.description} · ${size}×${size} · ${studio.model.concepts.length} concepts`;
    buildPalette();
    buildGallery();
    updateActionControls();
    await startSession();
    await followRunningJob();
  } catch (error) {
    report(error);
  }
}

main();
