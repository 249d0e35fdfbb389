/** Someone asked for a conversation's transcript as a file. */
export class ParleyTranscriptDownloadEvent extends CustomEvent<{ conversationId: string }> {
  static readonly eventName = 'parley-transcript-download';
  constructor(detail: { conversationId: string }) {
    super(ParleyTranscriptDownloadEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-transcript-download': ParleyTranscriptDownloadEvent;
  }
}
