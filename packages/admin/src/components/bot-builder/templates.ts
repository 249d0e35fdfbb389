import type { Flow } from '@parley/protocol';
import support from '../../../../../examples/flows/support.json' with { type: 'json' };

/** A flow to start from, with a line saying what it does. */
export interface FlowTemplate {
  id: string;
  title: string;
  summary: string;
  flow: () => Flow;
}

const blank = (): Flow => ({
  id: 'my-bot',
  name: 'My bot',
  version: 1,
  start: 'welcome',
  steps: { welcome: { type: 'say', text: 'Hi! How can we help?', next: 'end' }, end: { type: 'end' } },
});

/** The templates the builder offers. "Customer support" is the demo flow every company starts with. */
export const TEMPLATES: FlowTemplate[] = [
  { id: 'blank', title: 'From nothing', summary: 'A greeting and an end, to build on.', flow: blank },
  { id: 'support', title: 'Customer support', summary: 'The demo: existing customers, orders, sign-up, hand-off.', flow: () => structuredClone(support) as Flow },
  {
    id: 'lead',
    title: 'Lead capture',
    summary: 'Asks name, email and interest, stores a lead.',
    flow: () => ({
      id: 'lead-capture',
      name: 'Lead capture',
      version: 1,
      start: 'hello',
      steps: {
        hello: { type: 'input', kind: 'text', text: 'Hi! I can have someone get back to you. What is your name?', var: 'name', validate: { min_length: 2 }, next: 'email' },
        email: { type: 'input', kind: 'email', text: 'Thanks {{name}}. Your email?', var: 'email', next: 'interest' },
        interest: {
          type: 'choice',
          text: 'What are you interested in?',
          var: 'interest',
          options: [
            { label: 'Pricing', value: 'pricing' },
            { label: 'A demo', value: 'demo' },
            { label: 'Something else', value: 'other' },
          ],
          next: 'save',
        },
        save: { type: 'lead', fields: ['name', 'email', 'interest'], next: 'bye' },
        bye: { type: 'end', text: 'Thank you! We will write to {{email}} within a day.' },
      },
    }),
  },
  {
    id: 'faq',
    title: 'FAQ with hand-off',
    summary: 'Answers common questions; a person takes over when asked.',
    flow: () => ({
      id: 'faq',
      name: 'FAQ',
      version: 1,
      start: 'topics',
      steps: {
        topics: {
          type: 'choice',
          text: 'Hi! What is your question about?',
          options: [
            { label: 'Shipping', value: 'shipping', next: 'shipping' },
            { label: 'Returns', value: 'returns', next: 'returns' },
            { label: 'Talk to a person', value: 'person', next: 'person' },
          ],
        },
        shipping: { type: 'say', text: 'Orders ship within 2 working days; delivery takes 3 to 5 days.', next: 'more' },
        returns: { type: 'say', text: 'You can return anything within 30 days, free of charge.', next: 'more' },
        more: {
          type: 'choice',
          text: 'Did that answer your question?',
          options: [
            { label: 'Yes, thanks', value: 'yes', next: 'bye' },
            { label: 'Another question', value: 'again', next: 'topics' },
            { label: 'Talk to a person', value: 'person', next: 'person' },
          ],
        },
        person: { type: 'handoff', text: 'One moment, I am finding someone for you.', next: 'topics' },
        bye: { type: 'end', text: 'Glad I could help!' },
      },
    }),
  },
  {
    id: 'appointment',
    title: 'Appointment request',
    summary: 'A form for a date and time, stored as a lead.',
    flow: () => ({
      id: 'appointment',
      name: 'Appointment request',
      version: 1,
      start: 'ask',
      steps: {
        ask: {
          type: 'form',
          text: 'Book a visit: tell us when suits you.',
          fields: [
            { name: 'name', label: 'Name', kind: 'text', required: true },
            { name: 'phone', label: 'Phone', kind: 'phone', required: true },
            { name: 'day', label: 'Preferred day', kind: 'text', required: true, placeholder: 'Tuesday 14 May' },
            {
              name: 'slot',
              label: 'Time',
              kind: 'select',
              options: [
                { label: 'Morning', value: 'morning' },
                { label: 'Afternoon', value: 'afternoon' },
              ],
              required: true,
            },
          ],
          submit_label: 'Request',
          lead: true,
          next: 'done',
        },
        done: { type: 'end', text: 'Thanks {{name}}! We will call {{phone}} to confirm {{day}} ({{slot}}).' },
      },
    }),
  },
];
