import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Frames that many sockets receive alike (one company's events, for each of its agents' tabs),
 * encoded once: the JSON texts of a tick become WebSocket text frames laid back to back in one
 * buffer, and that same buffer is written to every socket.
 *
 * Sending each frame through `ws` costs, per socket and per frame, a byte count of the text, a
 * header buffer, two chunks in the stream and the text's UTF-8 encoding in the write; with 20
 * dashboards and three frames per turn that was most of the fan-out's CPU. A shared buffer costs
 * one write per socket per tick and no copy in JavaScript.
 *
 * It writes to the TCP socket under `ws`, which is only safe because Parley's sockets have no
 * permessage-deflate (`external/websocket.ts`): `ws` then writes every frame straight to
 * the TCP socket as it is sent, so these writes keep their place among its own.
 */
export function encodeTextFrames(texts: readonly string[]): Buffer {
  let size = 0;
  const lengths = new Array<number>(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const length = Buffer.byteLength(texts[i]!);
    lengths[i] = length;
    size += length + (length < 126 ? 2 : length < 65_536 ? 4 : 10);
  }
  const buffer = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const length = lengths[i]!;
    // FIN and opcode 1 (text); a server's frames are not masked.
    buffer[at++] = 0x81;
    if (length < 126) {
      buffer[at++] = length;
    } else if (length < 65_536) {
      buffer[at++] = 126;
      buffer.writeUInt16BE(length, at);
      at += 2;
    } else {
      buffer[at++] = 127;
      buffer.writeUInt32BE(Math.floor(length / 2 ** 32), at);
      buffer.writeUInt32BE(length >>> 0, at + 4);
      at += 8;
    }
    at += buffer.write(texts[i]!, at, length, 'utf8');
  }
  return buffer;
}

/** Writes frames made by `encodeTextFrames` to an open socket, after whatever `ws` has written to it. */
export function writeEncodedFrames(socket: WebSocket, frames: Buffer): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (raw && !raw.destroyed) raw.write(frames);
}
