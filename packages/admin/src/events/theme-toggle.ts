/** Switch between light and dark. */
export class ParleyThemeToggleEvent extends CustomEvent<Record<string, never>> {
  static readonly eventName = 'parley-theme-toggle';
  constructor(detail: Record<string, never>) {
    super(ParleyThemeToggleEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-theme-toggle': ParleyThemeToggleEvent;
  }
}
