import Database from 'better-sqlite3';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { Limits } from '@parley/protocol';

/**
 * The stored-turn floor: the least a conversation turn can cost on Parley's stack, as a reference
 * beside the bare echo. A visitor message is parsed, stored with the bot's answer and the
 * conversation's new sequence number (three prepared statements in one group-commit transaction
 * per event-loop turn), and after the commit the `ack` and the reply leave in one write, in frames
 * shaped like Parley's. The messages table has the one index any chat store needs to read a
 * conversation back, `(conversation_id, seq)`.
 *
 * What it leaves out is everything that makes Parley a product: validation, rate limits, sessions,
 * the flow engine, sanitising, resends, unread counts, the agents' bus, search, webhooks. What
 * Parley costs beyond it is the price of those; what it costs beyond the echo is the price of
 * storing a turn at all.
 */
export async function startFloorServer(dataDir: string, port = 0): Promise<{ port: number; commits: () => number; close: () => Promise<void> }> {
  const db = new Database(join(dataDir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    create table conversations (id integer primary key, last_seq integer not null, updated_at text not null);
    create table messages (
      id integer primary key, conversation_id integer not null, seq integer not null,
      role text not null, components text not null, client_id text, created_at text not null
    );
    create index messages_by_conversation on messages (conversation_id, seq);
  `);
  const insertConversation = db.prepare('insert into conversations (last_seq, updated_at) values (1, ?)');
  const insertMessage = db.prepare(
    'insert into messages (conversation_id, seq, role, components, client_id, created_at) values (?, ?, ?, ?, ?, ?)',
  );
  const updateConversation = db.prepare('update conversations set last_seq = ?, updated_at = ? where id = ?');
  const begin = db.prepare('begin');
  const commit = db.prepare('commit');

  let writes: Array<() => void> = [];
  let afterCommit: Array<() => void> = [];
  let commits = 0;
  const flush = () => {
    const batch = writes;
    const sends = afterCommit;
    writes = [];
    afterCommit = [];
    begin.run();
    for (const write of batch) write();
    commit.run();
    commits++;
    for (const send of sends) send();
  };
  const enqueue = (write: () => void, send: () => void) => {
    if (writes.length === 0) setImmediate(flush);
    writes.push(write);
    afterCommit.push(send);
  };

  const prompt = [
    { type: 'text', payload: { text: 'What can I do for you?' } },
    { type: 'input', payload: { placeholder: 'Type a message', kind: 'text' } },
  ];
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: Limits.maxFrameBytes });
  wss.on('connection', (socket: WebSocket) => {
    let conversation = 0;
    let seq = 0;
    const cork = (socket as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    socket.on('error', () => undefined);
    socket.on('message', (data) => {
      let frame: { type?: unknown; id?: unknown; text?: unknown };
      try {
        frame = JSON.parse(data.toString()) as typeof frame;
      } catch {
        return;
      }
      const now = new Date().toISOString();
      if (frame.type === 'hello' && conversation === 0) {
        conversation = Number(insertConversation.run(now).lastInsertRowid);
        seq = 1;
        const greeting = JSON.stringify(prompt);
        enqueue(
          () => insertMessage.run(conversation, 1, 'bot', greeting, null, now),
          () => socket.send(JSON.stringify({ type: 'message', message: { seq: 1, role: 'bot', components: prompt, created_at: now } })),
        );
        return;
      }
      if (frame.type !== 'message' || typeof frame.text !== 'string' || typeof frame.id !== 'string' || conversation === 0) return;
      const clientId = frame.id;
      const userSeq = ++seq;
      const botSeq = ++seq;
      const user = JSON.stringify([{ type: 'text', payload: { text: frame.text } }]);
      const answer = [{ type: 'text', payload: { text: `Thanks, noted: ${frame.text}` } }, ...prompt];
      enqueue(
        () => {
          insertMessage.run(conversation, userSeq, 'user', user, clientId, now);
          insertMessage.run(conversation, botSeq, 'bot', JSON.stringify(answer), null, now);
          updateConversation.run(botSeq, now, conversation);
        },
        () => {
          cork.cork();
          socket.send(JSON.stringify({ type: 'ack', id: clientId, seq: userSeq }));
          socket.send(JSON.stringify({ type: 'message', message: { seq: botSeq, role: 'bot', components: answer, created_at: now, status: 'success' } }));
          cork.uncork();
        },
      );
    });
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  return {
    port: (wss.address() as { port: number }).port,
    commits: () => commits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'Server shutting down');
        wss.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}
