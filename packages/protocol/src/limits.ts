/** Size limits shared by the server (which enforces them) and clients (which check early). */
export const Limits = {
  /** Largest WebSocket frame the server accepts, in bytes. Bigger frames close the socket with 1009. */
  maxFrameBytes: 64 * 1024,
  /** Largest HTTP JSON body, in bytes. */
  maxBodyBytes: 1024 * 1024,
  /** Longest visitor or agent message, in characters. */
  maxMessageChars: 4000,
  /** Longest text of a bot component, in characters. */
  maxComponentTextChars: 20000,
  /** Client message ids: 1 to 64 characters of `[A-Za-z0-9_-]`. */
  clientIdPattern: '^[A-Za-z0-9_-]{1,64}$',
  /** Session tokens are opaque strings of this alphabet and length range. */
  sessionPattern: '^[A-Za-z0-9_-]{16,128}$',
  /** Default upload size cap, in bytes. */
  maxUploadBytes: 5 * 1024 * 1024,
  /** Fields of one form, and keys of one lead. */
  maxFormFields: 50,
  /** Longest value of one form field, in characters. */
  maxFormValueChars: 1000,
  /** Largest body of `POST /api/send-lead`, in bytes. */
  maxLeadBytes: 8 * 1024,
} as const;

/** Size caps of page attributes; the server enforces them, the widget checks early. */
export const AttributeLimits = {
  /** Attributes per conversation. */
  maxKeys: 30,
  /** A key: a letter or `_`, then up to 39 letters, digits or `_`. */
  keyPattern: '^[A-Za-z_][A-Za-z0-9_]{0,39}$',
  /** Longest string value, in characters. */
  maxValueChars: 500,
  /** All attributes of a conversation as JSON, in bytes. */
  maxBytes: 4096,
} as const;
