import type { ChatMessage, Component, ConversationStatus, InputKind, VisitorInput, VisitorServerFrame } from '../protocol.js';

/**
 * Where the client's link to the server is:
 * - `idle`: not started (nothing opened, nothing written).
 * - `connecting`: the first connection is opening.
 * - `online`: a WebSocket is open and the server said `welcome`.
 * - `polling`: no WebSocket could open, so the client talks to the HTTP API instead.
 * - `reconnecting`: the link dropped; the client retries with backoff and queues what the visitor sends.
 */
export type ConnectionState = 'idle' | 'connecting' | 'online' | 'polling' | 'reconnecting';

/** The constructor of a browser-compatible WebSocket (the browser's own, or `ws` in Node). */
export type WebSocketConstructor = new (url: string) => WebSocket;

/** The part of the Web Storage API the client uses, so tests and hosts can supply their own. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Options of `new ParleyClient(...)`. Only `server` is required. */
export interface ParleyClientOptions {
  /** Base URL of the Parley server, such as `https://chat.example.com`. */
  server: string;
  /** Public site key of the company (`pk_...`); the server's default company when left out. */
  site?: string | undefined;
  /** BCP 47 locale sent to the server in `hello`, such as `en` or `fr-CA`. */
  locale?: string | undefined;
  /** `auto` (WebSocket, HTTP when no socket can open), `websocket` only, or `http` only. Default `auto`. */
  transport?: 'auto' | 'websocket' | 'http';
  /** The WebSocket constructor; the global one by default (inject `ws` under Node). */
  WebSocket?: WebSocketConstructor | undefined;
  /** The fetch function; the global one by default. */
  fetch?: typeof fetch | undefined;
  /** Where the session is kept across reloads; `localStorage` by default, `null` for memory only. */
  storage?: StorageLike | null | undefined;
  /** First reconnect delay in ms (doubles up to `maxDelayMs`, each randomized by ±50 %). Default 500. */
  minDelayMs?: number;
  /** Longest reconnect delay in ms. Default 30000. */
  maxDelayMs?: number;
  /** Poll interval of the HTTP fallback in ms. Default 3000. */
  pollMs?: number;
  /** Random source in [0, 1) for jitter and ids (tests make it deterministic). */
  random?: () => number;
}

/** How far a message in the outbox is: what the visitor sees meanwhile, and whether it failed. */
export interface Delivery {
  /** The client message id, sent with every attempt so the server stores it once. */
  id: string;
  /** What the visitor sees meanwhile (a button's label, a masked code, the uploaded image). */
  shown: Component[];
  /** `failed` when the server refused it for good (it is not resent); see `error`. */
  state: 'queued' | 'failed';
  error?: string | undefined;
}

/**
 * A visitor message that the server has not acknowledged yet: the input in the one shape the
 * server's flow engine takes too (`VisitorInput`: `text`, `action`, `form` or `handoff`), with its
 * delivery. Each link turns it into its own wire form (a socket frame, an HTTP body).
 */
export type PendingMessage = VisitorInput & Delivery;

/** An AI answer arriving piece by piece: its stream id and the plain text so far. */
export interface StreamingReply {
  id: string;
  text: string;
}

/** Someone is typing on the other side. */
export interface TypingInfo {
  role: 'bot' | 'agent';
  name?: string | undefined;
}

/** The composer hint of the newest bot message (keyboard, autofill, placeholder). */
export interface InputHint {
  kind: InputKind;
  placeholder: string;
}

/** A hand-off change: a person was asked for (`waiting`, with the place in the queue) or joined (`agent`). */
export interface HandoffInfo {
  status: ConversationStatus;
  position?: number | undefined;
  agent?: string | undefined;
}

/** Who the visitor is, as the host page knows it (see `identify` and docs/identity.md). */
export interface VisitorIdentity {
  /** The visitor's id in the host site: a string or a whole number (`42` and `"42"` are one visitor). */
  id?: string | number | undefined;
  name?: string | undefined;
  email?: string | undefined;
  /** Hex HMAC-SHA256 of `id` keyed with the company's identity secret, made by the site's server. */
  hash?: string | undefined;
  /** Or a short-lived HS256 JWT signed with that secret (`sub` = the id), made by the site's server. */
  token?: string | undefined;
}

/** What the server made of an identity: verified or not, and why not. */
export interface IdentityResult extends VisitorIdentity {
  verified: boolean;
  error?: string | undefined;
}

/** A lead the server stored from what the visitor gave (`email` when the lead has one). */
export interface LeadInfo {
  id: string;
  data: Record<string, string | number | boolean>;
  email?: string | undefined;
}

/** Events of `client.on(...)`, with their payloads. */
export interface ClientEventMap {
  /** Anything visible changed: re-render. */
  change: undefined;
  /** A message was added (the visitor's own, once acknowledged, or one from the bot, an agent or the system). */
  message: ChatMessage;
  /** The unread count changed. */
  unread: number;
  /** The connection state changed. */
  connection: ConnectionState;
  /** A person was asked for, or joined. */
  handoff: HandoffInfo;
  /** The server stored a lead from what the visitor gave (a bot's lead step, a form). */
  lead: LeadInfo;
  /** The server checked the identity the host page gave: verified or not. */
  identify: IdentityResult;
  /** Whether an agent of the company is connected (`online`) or not (`offline`); known once connected. */
  availability: 'online' | 'offline';
  /** A frame the client does not act on (forward compatibility, debugging). */
  frame: VisitorServerFrame;
}

export type ClientEventName = keyof ClientEventMap;
export type ClientListener<K extends ClientEventName> = (payload: ClientEventMap[K]) => void;
