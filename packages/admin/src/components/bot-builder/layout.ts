import { transitions, type FlowStep } from '@parley/protocol';

/** Where a step's card sits on the canvas (its top-left corner) and in which layer. */
export interface Placed {
  id: string;
  x: number;
  y: number;
  layer: number;
}

/** Card size and gaps of the layout, in canvas units. */
export const CARD = { width: 220, height: 96, gapX: 48, gapY: 72 } as const;

/** The steps a step leads to, for a step that may be only half written (a draft). */
export function targetsOf(step: unknown): string[] {
  if (typeof step !== 'object' || step === null) return [];
  try {
    return transitions(step as FlowStep).map((t) => t.to).filter((t) => typeof t === 'string');
  } catch {
    return [];
  }
}

/**
 * A layered layout: `start` on the first row, every step one row below the first step that
 * reaches it (breadth-first), steps nothing reaches on a last row; within a row, in the order they
 * were reached, centred on the widest row. Small and predictable: the same flow is always drawn
 * the same way, and adding a step never moves the steps above it.
 */
export function layeredLayout(steps: Record<string, unknown>, start: string): Map<string, Placed> {
  const layerOf = new Map<string, number>();
  const queue: string[] = Object.hasOwn(steps, start) ? [start] : [];
  if (queue.length) layerOf.set(start, 0);
  while (queue.length) {
    const id = queue.shift()!;
    for (const next of targetsOf(steps[id])) {
      if (!Object.hasOwn(steps, next) || layerOf.has(next)) continue;
      layerOf.set(next, layerOf.get(id)! + 1);
      queue.push(next);
    }
  }
  const lastLayer = layerOf.size ? Math.max(...layerOf.values()) + 1 : 0;
  for (const id of Object.keys(steps)) if (!layerOf.has(id)) layerOf.set(id, lastLayer);
  const rows: string[][] = [];
  for (const [id, layer] of layerOf) (rows[layer] ??= []).push(id);
  const widest = Math.max(1, ...rows.map((r) => r?.length ?? 0));
  const placed = new Map<string, Placed>();
  rows.forEach((row, layer) => {
    const offset = ((widest - row.length) * (CARD.width + CARD.gapX)) / 2;
    row.forEach((id, i) => placed.set(id, { id, layer, x: offset + i * (CARD.width + CARD.gapX), y: layer * (CARD.height + CARD.gapY) }));
  });
  return placed;
}
