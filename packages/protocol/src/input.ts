import type { FormValues } from './components.js';

/**
 * What a visitor sends, as one shape from the widget's outbox to the server's flow engine: typed
 * text, a click (a button's value, a product's index, an uploaded image's URL), a filled-in form
 * (`form` is the component's id), or a request for a person. Not a frame: each link turns it into
 * its own (a socket frame, an HTTP body), and the server turns those back into it.
 */
export type VisitorInput =
  | { kind: 'text'; text: string }
  | { kind: 'action'; value: string }
  | { kind: 'form'; form: string; values: FormValues }
  | { kind: 'handoff' };

/** The text stored as the visitor's message when they ask for a person with the button. */
export const HANDOFF_LABEL = 'Talk to a person';
