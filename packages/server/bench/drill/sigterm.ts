import { rmSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { exited } from '../lib/children.js';
import { checkDelivery, type DeliveryVerdict } from './check.js';
import { drillServer, startDrill, type DrillServerOptions } from './kill.js';
import { drillVisitorDefaults } from './visitor.js';

export interface SigtermDrillOptions extends DrillServerOptions {
  visitors: number;
  messages: number;
  /** SIGTERM comes once this share of all messages is acknowledged (0.5: halfway). */
  at: number;
  deadlineMs: number;
}

export interface SigtermDrillReport extends DeliveryVerdict {
  /** The server's exit code after SIGTERM (0 expected). */
  exitCode: number | null;
  /** Close codes the visitors saw when the server went down, with their counts. */
  closeCodes: Record<string, number>;
  /** Messages in flight (sent, not acknowledged) at SIGTERM, and how many of them were committed by the exit. */
  inFlightAtSigterm: number;
  inFlightCommitted: number;
  /** Acknowledged before the exit but not in the database right after it (must be 0). */
  ackedMissingAtExit: number;
  finished: boolean;
  seconds: number;
  faults: string[];
}

/**
 * The SIGTERM drill: while visitors talk, the server gets SIGTERM. Every socket must close with
 * 1001, the server must exit 0 after committing what it had queued, and once a new server is up
 * the visitors resume and finish with nothing lost or doubled.
 */
export async function runSigtermDrill(options: SigtermDrillOptions): Promise<SigtermDrillReport> {
  const started = Date.now();
  const { dataDir, port, servers, visitors } = await startDrill('sigterm', options, { ...drillVisitorDefaults, messages: options.messages, pauseMs: 20 });
  let server = servers[0]!;
  try {
    for (const visitor of visitors) visitor.start();
    const total = options.visitors * options.messages;
    const acked = () => visitors.reduce((n, v) => n + v.acked.size, 0);
    while (acked() < total * options.at && Date.now() < started + options.deadlineMs) await new Promise((resolve) => setTimeout(resolve, 5));

    const closesBefore = visitors.map((v) => v.closeCodes.length);
    const inFlight = visitors.flatMap((v) => [...v.unacked.keys()].map((id) => ({ visitor: v, id })));
    server.child.kill('SIGTERM');
    const { code } = await exited(server.child);
    // What the database holds right after the exit, before anybody resends anything.
    const db = new SQLite(join(dataDir, 'parley.sqlite'), { readonly: true });
    const find = db.prepare<[string, string], { seq: number }>('SELECT seq FROM messages WHERE conversation_id = ? AND client_id = ?');
    let inFlightCommitted = 0;
    for (const { visitor, id } of inFlight) if (visitor.conversationId && find.get(visitor.conversationId, id)) inFlightCommitted++;
    let ackedMissingAtExit = 0;
    for (const visitor of visitors) {
      for (const [id, seq] of visitor.acked) {
        if (find.get(visitor.conversationId!, id)?.seq !== seq) ackedMissingAtExit++;
      }
    }
    db.close();
    const closeCodes: Record<string, number> = {};
    visitors.forEach((v, i) => {
      const first = v.closeCodes[closesBefore[i]!];
      const key = first === undefined ? 'still open' : String(first);
      closeCodes[key] = (closeCodes[key] ?? 0) + 1;
    });

    server = await drillServer(dataDir, port, options);
    servers.push(server);
    const deadline = started + options.deadlineMs;
    while (Date.now() < deadline && !visitors.every((v) => v.done)) await new Promise((resolve) => setTimeout(resolve, 20));
    const finished = visitors.every((v) => v.done);
    for (const visitor of visitors) visitor.stop();
    if (finished) await Promise.all(visitors.filter((v) => v.session).map((v) => v.resync(0)));
    await server.stop();
    return {
      ...checkDelivery(dataDir, visitors),
      exitCode: code,
      closeCodes,
      inFlightAtSigterm: inFlight.length,
      inFlightCommitted,
      ackedMissingAtExit,
      finished,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      faults: servers.flatMap((s) => s.faults),
    };
  } finally {
    for (const visitor of visitors) visitor.stop();
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
