import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Observable } from '../lib/observable.js';

/**
 * Re-renders a component whenever one of the stores it reads changes. The component only reads
 * the stores; it never keeps a copy of their state.
 */
export class StoreController implements ReactiveController {
  private readonly stores: Observable[];
  private stops: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    ...stores: Array<Observable | undefined>
  ) {
    this.stores = stores.filter((s): s is Observable => Boolean(s));
    host.addController(this);
  }

  /** Watches one more store (for stores handed in after construction, as properties). */
  watch(store: Observable): void {
    if (this.stores.includes(store)) return;
    this.stores.push(store);
    this.stops.push(store.subscribe(() => this.host.requestUpdate()));
  }

  hostConnected(): void {
    this.stops = this.stores.map((store) => store.subscribe(() => this.host.requestUpdate()));
  }

  hostDisconnected(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
  }
}
