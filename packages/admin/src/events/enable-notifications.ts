/** The agent asked for desktop notifications. */
export class ParleyEnableNotificationsEvent extends CustomEvent<Record<string, never>> {
  static readonly eventName = 'parley-enable-notifications';
  constructor() {
    super(ParleyEnableNotificationsEvent.eventName, { detail: {}, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-enable-notifications': ParleyEnableNotificationsEvent;
  }
}
