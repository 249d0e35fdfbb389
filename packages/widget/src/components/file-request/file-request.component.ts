import { LitElement, html, nothing } from 'lit';
import { ParleyUploadEvent } from '../../events/parley-upload.js';
import { defaultStrings, format } from '../../i18n.js';
import { buttonStyles, tokens } from '../../styles/tokens.js';
import { accepts, formatBytes } from './accepts.js';
import { styles } from './file-request.styles.js';

type Phase = 'idle' | 'uploading' | 'done';

/**
 * A `file_request` component: pick an image or drop one, see a preview and the upload's progress.
 * Type and size are checked before anything is sent. `<parley-chat>` does the upload (it knows
 * the session) and then sends the image's URL as the answer.
 *
 * @fires parley-upload - With the file, a progress callback and a settle callback.
 * @csspart zone - The drop zone.
 * @csspart button - The "choose an image" button.
 * @csspart preview - The preview image.
 * @csspart progress - The progress bar.
 */
export class ParleyFileRequest extends LitElement {
  static override styles = [tokens, buttonStyles, styles];
  static override properties = {
    prompt: {},
    accept: {},
    maxBytes: { type: Number, attribute: 'max-bytes' },
    disabled: { type: Boolean, reflect: true },
    strings: { attribute: false },
    phase: { state: true },
    problem: { state: true },
    progress: { state: true },
    preview: { state: true },
    over: { state: true },
  };

  declare prompt: string;
  declare accept: string;
  declare maxBytes: number;
  declare disabled: boolean;
  declare strings: typeof defaultStrings;
  declare private phase: Phase;
  declare private problem: string | undefined;
  declare private progress: number;
  declare private preview: string | undefined;
  declare private over: boolean;

  constructor() {
    super();
    this.prompt = '';
    this.accept = 'image/*';
    this.maxBytes = 5 * 1024 * 1024;
    this.disabled = false;
    this.strings = defaultStrings;
    this.phase = 'idle';
    this.progress = 0;
    this.over = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.preview) URL.revokeObjectURL(this.preview);
  }

  /** Checks a file and, when it passes, asks `<parley-chat>` to upload it. */
  take(file: File): void {
    if (this.disabled || this.phase !== 'idle') return;
    this.problem = !accepts(this.accept, file)
      ? this.strings.wrongType
      : file.size > this.maxBytes
        ? format(this.strings.tooLarge, { n: formatBytes(this.maxBytes) })
        : undefined;
    if (this.problem) return;
    if (this.preview) URL.revokeObjectURL(this.preview);
    this.preview = URL.createObjectURL(file);
    this.phase = 'uploading';
    this.progress = 0;
    this.dispatchEvent(
      new ParleyUploadEvent(
        file,
        (fraction) => (this.progress = fraction),
        (result) => {
          if ('url' in result) {
            this.phase = 'done';
            this.disabled = true;
          } else {
            this.phase = 'idle';
            this.problem = result.error;
          }
        },
      ),
    );
  }

  private onPick(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.take(file);
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.over = false;
    const file = event.dataTransfer?.files[0];
    if (file) this.take(file);
  }

  private onDrag(event: DragEvent, over: boolean): void {
    if (this.disabled) return;
    event.preventDefault();
    this.over = over;
  }

  override render() {
    const busy = this.phase === 'uploading';
    return html`<div
      part="zone"
      class="zone ${this.over ? 'over' : ''}"
      @dragover=${(e: DragEvent) => this.onDrag(e, true)}
      @dragleave=${(e: DragEvent) => this.onDrag(e, false)}
      @drop=${this.onDrop}
    >
      ${this.preview ? html`<img part="preview" src=${this.preview} alt="" />` : nothing}
      ${this.phase === 'idle' && !this.disabled
        ? html`<label part="button" class="btn"
              >${this.strings.chooseFile}<input type="file" accept=${this.accept} @change=${this.onPick}
            /></label>
            <p class="hint">${this.strings.dropHere}</p>`
        : nothing}
      ${busy ? html`<progress part="progress" max="1" .value=${this.progress} aria-label=${this.strings.uploading}></progress>` : nothing}
      <p class="prompt">${this.prompt}</p>
      <div class="status" role="status">${busy ? this.strings.uploading : this.phase === 'done' ? this.strings.uploaded : ''}</div>
      ${this.problem ? html`<parley-error .text=${this.problem}></parley-error>` : nothing}
    </div>`;
  }
}
