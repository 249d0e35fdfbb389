import type { WebSocket } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import { CloseCode } from '@parley/protocol';
import type { LimitsConfig } from '../config.js';
import { describeError } from '../core/error-handler.js';
import { sendFrameCorked } from './corked-send.js';
import { writeEncodedFrames } from './shared-frames.js';
import type { FrameResult } from './frame-reader.js';

/** Malformed frames in a row before the connection is closed with 1008. */
const MAX_MALFORMED_IN_A_ROW = 10;
/** Rate-limited frames before a flooding connection is closed with 1008. */
const MAX_RATE_STRIKES = 50;

/** What every guarded socket needs: where to log, and the limits it enforces. */
export interface GuardOptions {
  log: FastifyBaseLogger;
  limits: LimitsConfig;
  /** Names the kind of socket in logs (`visitor`, `agent`). */
  label: string;
}

/**
 * The hardening every Parley WebSocket shares: the message handler is attached at once (no frame
 * is lost while anything async runs) and never throws; binary, unreadable and invalid frames get
 * an `error` frame, ten in a row close the socket with 1008; frames over the rate budget get
 * `rate_limited`, persistent flooding closes with 1008; a client that stops reading is closed as
 * a slow consumer; a missed pong terminates the socket. Subclasses handle valid frames.
 */
export abstract class GuardedSocket<In extends { type: string }, Out extends object> {
  /** Cleared by each heartbeat sweep, set again by a pong. */
  alive = true;
  private malformed = 0;
  private strikes = 0;

  constructor(
    protected readonly socket: WebSocket,
    private readonly read: (data: string) => FrameResult<In>,
    protected readonly guard: GuardOptions,
  ) {
    socket.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('close', () => this.dispose());
    socket.on('error', (error) => guard.log.debug({ err: error }, `${guard.label} socket error`));
  }

  /** Handles one valid frame. May throw: the failure becomes an `error` frame. */
  protected abstract dispatch(frame: In): void;

  /** Releases what the connection holds. Called once the socket closes, maybe more than once. */
  protected abstract dispose(): void;

  /** Sends a protocol ping, or terminates the connection if the last one went unanswered. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  /** Sends a frame unless the socket is gone; closes a client that stopped reading. */
  send(frame: Out): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.guard.limits.wsMaxBufferedBytes) {
      this.close(CloseCode.policy, 'Slow consumer');
      return;
    }
    sendFrameCorked(this.socket, frame);
  }

  /** Sends frames already encoded for many sockets (`encodeTextFrames`), with the same checks as `send`. */
  sendEncoded(frames: Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.guard.limits.wsMaxBufferedBytes) {
      this.close(CloseCode.policy, 'Slow consumer');
      return;
    }
    writeEncodedFrames(this.socket, frames);
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason);
    this.dispose();
  }

  /** Answers a frame over the rate budget (typing is dropped quietly) and closes a persistent flooder. */
  protected overBudget(frame: In, id: string | undefined): void {
    if (++this.strikes > MAX_RATE_STRIKES) return this.close(CloseCode.policy, 'Too many frames');
    if (frame.type !== 'typing') this.error('rate_limited', 'Too many messages, please slow down', id);
  }

  /** Turns a failure into an `error` frame: the message of 4xx errors, never the details of 5xx ones. */
  protected failed(error: unknown, id?: string): void {
    const { statusCode, code, message } = describeError(error as Error);
    if (statusCode >= 500) this.guard.log.error({ err: error }, `${this.guard.label} frame failed`);
    this.error(code, message, id);
  }

  protected error(code: string, message: string, id?: string): void {
    this.send({ type: 'error', code, message, ...(id ? { id } : {}) } as unknown as Out);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    try {
      if (isBinary) return this.reject('bad_request', 'Frames must be JSON text');
      const result = this.read(data.toString('utf8'));
      if (!result.ok) return this.reject(result.code, result.message, result.id);
      this.malformed = 0;
      this.dispatch(result.frame);
    } catch (error) {
      this.failed(error);
    }
  }

  private reject(code: 'bad_request' | 'validation_failed', message: string, id?: string): void {
    this.error(code, message, id);
    if (++this.malformed >= MAX_MALFORMED_IN_A_ROW) this.close(CloseCode.policy, 'Too many malformed frames');
  }
}
