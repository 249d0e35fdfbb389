import { LitElement, html, nothing } from 'lit';
import type { RatingComponent } from '../../protocol.js';
import { ParleyRateEvent, type RatingTarget } from '../../events/parley-rate.js';
import { tokens } from '../../styles/tokens.js';
import { styles } from './rating.styles.js';

type State = 'open' | 'sending' | 'thanks' | 'failed';

/**
 * A `rating` component: the visitor rates the conversation (five stars, or thumbs up / down) with
 * an optional comment. Loaded on demand (a feature chunk): most conversations never show one.
 *
 * @fires parley-rate - Asks the chat for the conversation to rate, then posts the rating to `/api/chatbot/rating`.
 * @csspart rating - The group (a fieldset).
 * @csspart score - Each score button.
 * @csspart comment - The comment box.
 * @csspart send - The send button.
 */
export class ParleyRating extends LitElement {
  static override styles = [tokens, styles];
  static override properties = { payload: { attribute: false }, score: { state: true }, state: { state: true } };

  /** The component's payload: scale, prompt and whether to offer a comment. */
  declare payload: RatingComponent['payload'] | undefined;
  declare private score: number;
  declare private state: State;

  constructor() {
    super();
    this.payload = undefined;
    this.score = 0;
    this.state = 'open';
  }

  private send(event: Event) {
    event.preventDefault();
    if (!this.score || this.state === 'sending') return;
    const comment = this.renderRoot.querySelector('textarea')?.value.trim() ?? '';
    this.state = 'sending';
    this.dispatchEvent(new ParleyRateEvent((target) => void this.post(target, comment.slice(0, 1000))));
  }

  private async post(target: RatingTarget | undefined, comment: string) {
    const url = target?.resolveUrl('/api/chatbot/rating');
    let ok = false;
    try {
      if (url && target?.session) {
        const body = { chatbot_session: target.session, score: this.score, ...(comment ? { comment } : {}) };
        ok = (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).ok;
      }
    } catch {
      // Offline: the visitor may send it again.
    }
    this.state = ok ? 'thanks' : 'failed';
  }

  override render() {
    const p = this.payload;
    if (!p) return nothing;
    if (this.state === 'thanks') return html`<p part="rating" role="status">Thank you for your feedback!</p>`;
    const scores =
      p.scale === 'thumbs'
        ? [
            [5, '👍', 'Good'],
            [1, '👎', 'Bad'],
          ]
        : [1, 2, 3, 4, 5].map((n) => [n, '★', `${n} of 5`]);
    return html`<form @submit=${this.send}>
      <fieldset part="rating">
        <legend>${p.prompt}</legend>
        <div class="scores">
          ${scores.map(
            ([n, icon, label]) => html`<button
              type="button"
              part="score"
              aria-label=${label as string}
              aria-pressed=${p.scale === 'five' ? (n as number) <= this.score : n === this.score}
              @click=${() => (this.score = n as number)}
            >
              ${icon}
            </button>`,
          )}
        </div>
        ${p.comment ? html`<textarea part="comment" aria-label="Comment (optional)" placeholder="Tell us more (optional)" maxlength="1000"></textarea>` : nothing}
        <button class="send" part="send" ?disabled=${!this.score || this.state === 'sending'}>Send</button>
        ${this.state === 'failed' ? html`<p role="alert">Your rating could not be sent. Please try again.</p>` : nothing}
      </fieldset>
    </form>`;
  }
}
