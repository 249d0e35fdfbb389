/**
 * A file chosen in a `file_request`: `<parley-chat>` uploads it, reports progress through
 * `progress`, and calls `settle` with the URL (then sends it) or with an error message.
 */
export class ParleyUploadEvent extends Event {
  static readonly type = 'parley-upload';
  constructor(
    readonly file: File,
    readonly progress: (fraction: number) => void,
    readonly settle: (result: { url: string } | { error: string }) => void,
  ) {
    super(ParleyUploadEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-upload': ParleyUploadEvent;
  }
}
