/**
 * The areas of the API: every documented route names one of these as its tag, in this order in
 * the document. Routes without a tag (static assets: the widget, the dashboard) stay out of it.
 */
export const tags = {
  visitor: { name: 'Visitor chat', description: 'The component chat API a widget or page uses: start, send, catch up, identify, upload, close.' },
  websocket: { name: 'WebSocket', description: 'The visitor and agent sockets; frames are described in docs/protocol.md.' },
  auth: { name: 'Auth', description: 'Agent sign-in.' },
  chats: { name: 'Chats', description: "The agents' inbox: conversations, messages, notes, transcripts, search." },
  leads: { name: 'Leads', description: 'Leads collected by flows, forms and sites, and their exports.' },
  savedReplies: { name: 'Saved replies', description: 'Canned answers agents insert with `/`.' },
  users: { name: 'Users', description: "The company's agents and admins." },
  companies: { name: 'Companies', description: 'The caller\'s company, and (for the instance owner) every company.' },
  ai: { name: 'AI', description: 'The AI provider settings and a test call.' },
  identity: { name: 'Identity', description: 'Settings for verified visitor identity.' },
  webhooks: { name: 'Webhooks', description: 'Endpoints, deliveries and their log.' },
  bot: { name: 'Bot', description: "The company's bot: its published flow, versions, drafts and Try it." },
  knowledge: { name: 'Knowledge', description: 'Help articles the bot answers from and the help center shows.' },
  insights: { name: 'Insights', description: 'Visitor ratings (CSAT) and the reports.' },
  integrations: { name: 'Integrations', description: 'Server-to-server calls with the company API key: the REST chat API and hand-off from an external bot.' },
  system: { name: 'System', description: 'Health, uploads served back, and this document.' },
} as const;

/** A tag's name, for a route's `tags: [tag('chats')]`. */
export function tag(area: keyof typeof tags): string {
  return tags[area].name;
}
