import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the browser allows: ask first, yes, no, or no notifications at all. */
export type NotifyPermission = 'default' | 'granted' | 'denied' | 'unsupported';

/**
 * Desktop notifications for hand-offs while the dashboard is in a background tab: asks for
 * permission only when the agent clicks, and shows one notification per conversation (`tag`).
 */
export class NotifyController implements ReactiveController {
  permission: NotifyPermission;

  constructor(private readonly host: ReactiveControllerHost) {
    this.permission = typeof Notification === 'undefined' ? 'unsupported' : (Notification.permission as NotifyPermission);
    host.addController(this);
  }

  hostConnected(): void {}

  /** Asks the browser (from a click). */
  async request(): Promise<void> {
    if (this.permission === 'unsupported') return;
    this.permission = (await Notification.requestPermission()) as NotifyPermission;
    this.host.requestUpdate();
  }

  /** Shows a notification when allowed and the page is not in front; `open` runs on click. */
  show(title: string, body: string, tag: string, open: () => void): void {
    if (this.permission !== 'granted' || document.visibilityState === 'visible') return;
    const notification = new Notification(title, { body, tag });
    notification.onclick = () => {
      window.focus();
      open();
      notification.close();
    };
  }
}
