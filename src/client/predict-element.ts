/**
 * `<ib-predict>`: a "predict, then run" prompt (components/exercises/Predict.astro). The reader
 * types a prediction and commits it (Enter or the button); the field locks, and "Run the network"
 * asks the engine worker for the prompt's experiment, reads its number (src/exercises/reading.ts)
 * and says how close the prediction came (src/exercises/closeness.ts). "Predict again" unlocks it.
 * The committed prediction is kept in localStorage per page and prompt.
 *
 * @module
 */
import { judgePrediction, parsePrediction, type Scale } from '../exercises/closeness';
import { readResult, type Reading } from '../exercises/reading';
import { getEngine, isCancelledError } from './engine-client';

interface PredictConfig {
  readonly id: string;
  readonly figure: string;
  readonly params: Record<string, unknown>;
  readonly reading: Reading;
  readonly scale: Scale;
  readonly tolerance?: number;
}

const storageKey = (id: string) => `initbook:predict:${location.pathname}:${id}`;

function readStored(id: string): string | null {
  try {
    return localStorage.getItem(storageKey(id));
  } catch {
    return null; // storage disabled: nothing was kept
  }
}

function writeStored(id: string, text: string | null): void {
  try {
    if (text === null) localStorage.removeItem(storageKey(id));
    else localStorage.setItem(storageKey(id), text);
  } catch {
    // Storage full or disabled: the prediction lives until the page closes.
  }
}

class PredictElement extends HTMLElement {
  #config!: PredictConfig;
  #input!: HTMLInputElement;
  #message!: HTMLElement;
  #buttons!: Record<'commit' | 'run' | 'again', HTMLButtonElement>;
  #committed: number | null = null;

  connectedCallback(): void {
    if (this.#input) return;
    this.#config = JSON.parse(this.dataset['config'] ?? '{}') as PredictConfig;
    const form = this.querySelector<HTMLFormElement>('.ib-predict-form')!;
    this.#input = form.querySelector('input')!;
    this.#message = form.querySelector('.ib-predict-message')!;
    const button = (action: string) =>
      form.querySelector<HTMLButtonElement>(`button[data-action="${action}"]`)!;
    this.#buttons = { commit: button('commit'), run: button('run'), again: button('again') };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#commit();
    });
    this.#buttons.run.addEventListener('click', () => void this.#run());
    this.#buttons.again.addEventListener('click', () => this.#unlock());
    // With JavaScript the answer waits for the run; the form takes its place.
    this.querySelector<HTMLElement>('.ib-predict-answer')!.hidden = true;
    form.hidden = false;
    const stored = readStored(this.#config.id);
    if (stored !== null) {
      this.#input.value = stored;
      this.#commit(false);
    }
  }

  #say(text: string, kind: 'info' | 'error' | 'close' | 'near' | 'far'): void {
    this.#message.textContent = text;
    if (kind === 'error') this.#message.dataset['kind'] = 'error';
    else delete this.#message.dataset['kind'];
    if (kind === 'close' || kind === 'near' || kind === 'far')
      this.#message.dataset['grade'] = kind;
    else delete this.#message.dataset['grade'];
  }

  #commit(focusRun = true): void {
    const parsed = parsePrediction(this.#input.value, this.#config.scale);
    if (!parsed.ok) {
      this.#input.setAttribute('aria-invalid', 'true');
      this.#say(parsed.message, 'error');
      return;
    }
    this.#input.removeAttribute('aria-invalid');
    this.#committed = parsed.value;
    writeStored(this.#config.id, this.#input.value.trim());
    this.#input.readOnly = true;
    this.#buttons.commit.hidden = true;
    this.#buttons.run.hidden = false;
    this.#buttons.again.hidden = false;
    this.#say('Prediction committed. Now run the network.', 'info');
    if (focusRun) this.#buttons.run.focus();
  }

  #unlock(): void {
    this.#committed = null;
    this.querySelector<HTMLElement>('.ib-predict-answer')!.hidden = true;
    writeStored(this.#config.id, null);
    this.#input.readOnly = false;
    this.#buttons.commit.hidden = false;
    this.#buttons.run.hidden = true;
    this.#buttons.again.hidden = true;
    this.#say('', 'info');
    this.#input.focus();
    this.#input.select();
  }

  async #run(): Promise<void> {
    const predicted = this.#committed;
    if (predicted === null) return;
    const { id, figure, params, reading, scale, tolerance } = this.#config;
    this.#buttons.run.disabled = true;
    this.#say('Running the network…', 'info');
    try {
      const result = await getEngine().request('figure', [figure, params], {
        lane: `predict-${id}`,
      });
      const verdict = judgePrediction(
        predicted,
        readResult(reading, result.data),
        scale,
        tolerance,
      );
      this.#say(verdict.text, verdict.grade);
      // The answer, with the link that opens this experiment in the figure, is now the reader's.
      const answer = this.querySelector<HTMLDetailsElement>('.ib-predict-answer')!;
      answer.hidden = false;
      answer.open = true;
    } catch (error) {
      if (isCancelledError(error)) return;
      this.#say(
        `The run failed: ${error instanceof Error ? error.message : String(error)}`,
        'error',
      );
    } finally {
      this.#buttons.run.disabled = false;
    }
  }
}

if (!customElements.get('ib-predict')) customElements.define('ib-predict', PredictElement);
