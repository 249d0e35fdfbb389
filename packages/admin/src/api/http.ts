import type {
  ChatRatingResponse,
  CsatSettings,
  AiConfigUpdate,
  AiConfigView,
  AiTestRequest,
  AiTestResponse,
  AgentReplyRequest,
  AgentReplyResponse,
  ChatActionResponse,
  MarkReadResponse,
  UserResponse,
  ChatDetail,
  ChatList,
  ChatListQuery,
  CompanyList,
  CompanyResponse,
  CreateCompanyRequest,
  CreateCompanyResponse,
  CreateChatResponse,
  CreateNoteRequest,
  CreateUserRequest,
  LeadDetail,
  LeadList,
  LeadListQuery,
  CreateWebhookRequest,
  CreateSavedReplyRequest,
  ArticleExport,
  ArticleImportResponse,
  ArticleList,
  ArticleListQuery,
  ArticlePreviewResponse,
  ArticleResponse,
  ArticleSearchResponse,
  CreateArticleRequest,
  UpdateArticleRequest,
  SavedReplyList,
  SavedReplyResponse,
  UpdateSavedReplyRequest,
  IdentitySettingsView,
  UpdateIdentitySettingsRequest,
  UpdateWebhookRequest,
  WebhookDeliveryDetail,
  WebhookDeliveryList,
  WebhookDeliveryListQuery,
  WebhookDeliveryResponse,
  WebhookEndpointList,
  WebhookEndpointResponse,
  LoginRequest,
  LoginResponse,
  MessageList,
  NoteList,
  NoteResponse,
  SearchResponse,
  UpdateCompanyRequest,
  UpdateUserRequest,
  UserList,
  VerifyResponse,
  CompanyFlowResponse,
  FlowDraftResponse,
  FlowVersionList,
  PublishFlowResponse,
  TryFlowResponse,
} from '@parley/protocol';
import { ApiRequestError } from './errors.js';

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  /** Server origin; '' (the default) means the page's own origin. */
  baseUrl?: string;
  /** Where the bearer token comes from, read on every call. */
  token: () => string | undefined;
  /** Called when the server answers 401 to an authenticated call (expired or revoked token). */
  onUnauthorized?: () => void;
  /** The fetch to use (tests pass Node's). */
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | undefined>;

/**
 * Typed calls to Parley's agent REST API, one method per route. Every call sends the bearer token
 * and turns an error body into an {@link ApiRequestError}.
 *
 * @example const api = new ApiClient({ token: () => session.token }); const { chats } = await api.listChats({ status: 'waiting' });
 */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  /** The absolute or page-relative URL of an API path with a query string. */
  url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    const search = params.toString();
    return `${this.options.baseUrl ?? ''}${path}${search ? `?${search}` : ''}`;
  }

  login(body: LoginRequest): Promise<LoginResponse> {
    return this.request('POST', '/api/auth/login', { body, auth: false });
  }
  verify(): Promise<VerifyResponse> {
    return this.request('GET', '/api/auth/verify');
  }

  listChats(query: ChatListQuery = {}): Promise<ChatList> {
    return this.request('GET', '/api/chats', { query: { ...query } });
  }
  getChat(id: string): Promise<ChatDetail> {
    return this.request('GET', `/api/chats/${encodeURIComponent(id)}`);
  }
  createChat(): Promise<CreateChatResponse> {
    return this.request('POST', '/api/chats', { body: {} });
  }
  messages(conversationId: string, after = 0, limit?: number): Promise<MessageList> {
    return this.request('GET', `/api/messages/${encodeURIComponent(conversationId)}`, { query: { after, limit } });
  }
  markRead(messageId: string): Promise<MarkReadResponse> {
    return this.request('PATCH', `/api/messages/${encodeURIComponent(messageId)}`, { body: { read: true } });
  }
  claim(id: string): Promise<ChatActionResponse> {
    return this.request('POST', `/api/chats/${encodeURIComponent(id)}/claim`, { body: {} });
  }
  resolve(id: string): Promise<ChatActionResponse> {
    return this.request('POST', `/api/chats/${encodeURIComponent(id)}/resolve`, { body: {} });
  }
  returnToBot(id: string): Promise<ChatActionResponse> {
    return this.request('POST', `/api/chats/${encodeURIComponent(id)}/return-to-bot`, { body: {} });
  }
  reply(id: string, body: AgentReplyRequest): Promise<AgentReplyResponse> {
    return this.request('POST', `/api/chats/${encodeURIComponent(id)}/messages`, { body });
  }
  /** A conversation's internal notes, oldest first (agents only; visitors never see them). */
  notes(conversationId: string): Promise<NoteList> {
    return this.request('GET', `/api/chats/${encodeURIComponent(conversationId)}/notes`);
  }
  /** Adds an internal note (201); it neither claims the chat nor reaches the visitor. */
  createNote(conversationId: string, body: CreateNoteRequest): Promise<NoteResponse> {
    return this.request('POST', `/api/chats/${encodeURIComponent(conversationId)}/notes`, { body });
  }
  /** Deletes a note (its author, admins and the owner; 204, else 403). */
  deleteNote(conversationId: string, noteId: string): Promise<void> {
    return this.request('DELETE', `/api/chats/${encodeURIComponent(conversationId)}/notes/${encodeURIComponent(noteId)}`);
  }
  /** Deletes a conversation for good: its messages, uploads, leads and webhook events (admins and the owner; 204). */
  deleteChat(id: string): Promise<void> {
    return this.request('DELETE', `/api/chats/${encodeURIComponent(id)}`);
  }
  /** A conversation's transcript as plain text (`GET /api/chats/:id/transcript`). */
  async transcript(id: string): Promise<string> {
    const response = await this.send('GET', this.url(`/api/chats/${encodeURIComponent(id)}/transcript`, {}), undefined, true);
    return response.text();
  }

  search(q: string, limit?: number): Promise<SearchResponse> {
    return this.request('GET', '/api/search', { query: { q, limit } });
  }
  leads(query: Omit<LeadListQuery, 'format'> = {}): Promise<LeadList> {
    return this.request('GET', '/api/leads', { query: { ...query } });
  }
  /** The leads as CSV text (`GET /api/leads?format=csv`). */
  async leadsCsv(query: Omit<LeadListQuery, 'format'> = {}): Promise<string> {
    return this.leadsExport('csv', query);
  }
  /** The leads as an export file's text: CSV or JSON Lines (`GET /api/leads?format=`). */
  async leadsExport(format: 'csv' | 'jsonl', query: Omit<LeadListQuery, 'format'> = {}): Promise<string> {
    const response = await this.send('GET', this.url('/api/leads', { ...query, format }), undefined, true);
    return response.text();
  }
  lead(id: string): Promise<LeadDetail> {
    return this.request('GET', `/api/leads/${encodeURIComponent(id)}`);
  }

  /** A report of Insights (admins): `overview`, `daily`, `response-times`, `csat`, `hours` or `funnel`. */
  report<T>(name: string, query: { from: string; to: string; tz: string }): Promise<T> {
    return this.request('GET', `/api/reports/${encodeURIComponent(name)}`, { query });
  }
  /** A conversation's rating (CSAT), or null. */
  chatRating(id: string): Promise<ChatRatingResponse> {
    return this.request('GET', `/api/chats/${encodeURIComponent(id)}/rating`);
  }
  csatSettings(): Promise<CsatSettings> {
    return this.request('GET', '/api/csat/settings');
  }
  saveCsatSettings(body: CsatSettings): Promise<CsatSettings> {
    return this.request('PUT', '/api/csat/settings', { body });
  }

  webhooks(): Promise<WebhookEndpointList> {
    return this.request('GET', '/api/webhooks');
  }
  createWebhook(body: CreateWebhookRequest): Promise<WebhookEndpointResponse> {
    return this.request('POST', '/api/webhooks', { body });
  }
  updateWebhook(id: string, body: UpdateWebhookRequest): Promise<WebhookEndpointResponse> {
    return this.request('PATCH', `/api/webhooks/${encodeURIComponent(id)}`, { body });
  }
  deleteWebhook(id: string): Promise<unknown> {
    return this.request('DELETE', `/api/webhooks/${encodeURIComponent(id)}`);
  }
  /** Sends a test event and answers once its first attempt is done (or a few seconds passed). */
  testWebhook(id: string): Promise<WebhookDeliveryResponse> {
    return this.request('POST', `/api/webhooks/${encodeURIComponent(id)}/test`, { body: {} });
  }
  webhookDeliveries(id: string, query: WebhookDeliveryListQuery = {}): Promise<WebhookDeliveryList> {
    return this.request('GET', `/api/webhooks/${encodeURIComponent(id)}/deliveries`, { query: { ...query } });
  }
  webhookDelivery(id: string, deliveryId: string): Promise<WebhookDeliveryDetail> {
    return this.request('GET', `/api/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}`);
  }
  redeliver(id: string, deliveryId: string): Promise<WebhookDeliveryResponse> {
    return this.request('POST', `/api/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { body: {} });
  }

  /** The company's articles, newest change first, and the categories in use (every agent). */
  articles(query: ArticleListQuery = {}): Promise<ArticleList> {
    return this.request('GET', '/api/articles', { query: { ...query } });
  }
  createArticle(body: CreateArticleRequest): Promise<ArticleResponse> {
    return this.request('POST', '/api/articles', { body });
  }
  updateArticle(id: string, body: UpdateArticleRequest): Promise<ArticleResponse> {
    return this.request('PUT', `/api/articles/${encodeURIComponent(id)}`, { body });
  }
  deleteArticle(id: string): Promise<void> {
    return this.request('DELETE', `/api/articles/${encodeURIComponent(id)}`);
  }
  /** A Markdown body as the help center shows it (light HTML, sanitized by the server). */
  previewArticle(body: string): Promise<ArticlePreviewResponse> {
    return this.request('POST', '/api/articles/preview', { body: { body } });
  }
  /** What the bot would answer to a question, with each hit's confidence. */
  searchArticles(q: string): Promise<ArticleSearchResponse> {
    return this.request('GET', '/api/articles/search', { query: { q } });
  }
  exportArticles(): Promise<ArticleExport> {
    return this.request('GET', '/api/articles/export');
  }
  /** Imports a JSON or CSV file of articles (admins; nothing is imported when one is wrong). */
  async importArticles(file: Blob, name: string): Promise<ArticleImportResponse> {
    const form = new FormData();
    form.append('file', file, name);
    const token = this.options.token();
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await doFetch(this.url('/api/articles/import'), { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
    } catch (error) {
      throw new ApiRequestError(0, 'network', error instanceof Error ? error.message : 'Network error');
    }
    if (!response.ok) throw await ApiRequestError.from(response);
    return (await response.json()) as ArticleImportResponse;
  }

  /** The company's saved replies, by shortcut (every agent). */
  savedReplies(): Promise<SavedReplyList> {
    return this.request('GET', '/api/saved-replies');
  }
  /** Adds a saved reply (admins; 409 when the shortcut is taken or the company has too many). */
  createSavedReply(body: CreateSavedReplyRequest): Promise<SavedReplyResponse> {
    return this.request('POST', '/api/saved-replies', { body });
  }
  updateSavedReply(id: string, body: UpdateSavedReplyRequest): Promise<SavedReplyResponse> {
    return this.request('PATCH', `/api/saved-replies/${encodeURIComponent(id)}`, { body });
  }
  /** Deletes a saved reply (admins; 204). */
  deleteSavedReply(id: string): Promise<void> {
    return this.request('DELETE', `/api/saved-replies/${encodeURIComponent(id)}`);
  }

  identitySettings(): Promise<IdentitySettingsView> {
    return this.request('GET', '/api/identity');
  }
  updateIdentitySettings(body: UpdateIdentitySettingsRequest): Promise<IdentitySettingsView> {
    return this.request('PATCH', '/api/identity', { body });
  }

  company(): Promise<CompanyResponse> {
    return this.request('GET', '/api/company');
  }
  updateCompany(body: UpdateCompanyRequest): Promise<CompanyResponse> {
    return this.request('PATCH', '/api/company', { body });
  }

  /** Every company of the instance (the owner only). */
  companies(): Promise<CompanyList> {
    return this.request('GET', '/api/companies');
  }
  /** Adds a company, with its first admin when given (the owner only; 201). Its API key is in this answer only. */
  createCompany(body: CreateCompanyRequest): Promise<CreateCompanyResponse> {
    return this.request('POST', '/api/companies', { body });
  }

  aiConfig(): Promise<AiConfigView> {
    return this.request('GET', '/api/ai/config');
  }
  updateAiConfig(body: AiConfigUpdate): Promise<AiConfigView> {
    return this.request('PUT', '/api/ai/config', { body });
  }
  testAi(body: AiTestRequest): Promise<AiTestResponse> {
    return this.request('POST', '/api/ai/test', { body });
  }

  users(): Promise<UserList> {
    return this.request('GET', '/api/users');
  }
  createUser(body: CreateUserRequest): Promise<UserResponse> {
    return this.request('POST', '/api/users', { body });
  }
  /** Adds an account to another company, its first admin say (the owner only; 404 unknown company, 409 email taken). */
  createUserIn(companyId: string, body: Omit<CreateUserRequest, 'company_id'>): Promise<UserResponse> {
    return this.createUser({ ...body, company_id: companyId });
  }
  updateUser(id: string, body: UpdateUserRequest): Promise<UserResponse> {
    return this.request('PATCH', `/api/users/${encodeURIComponent(id)}`, { body });
  }
  deleteUser(id: string): Promise<unknown> {
    return this.request('DELETE', `/api/users/${encodeURIComponent(id)}`);
  }

  /** The company's published bot (admins). */
  companyFlow(): Promise<CompanyFlowResponse> {
    return this.request('GET', '/api/company/flow');
  }
  /** Checks and publishes a flow; a 400 `ApiRequestError` carries every problem in `problems`. */
  publishFlow(flow: unknown): Promise<PublishFlowResponse> {
    return this.request('PUT', '/api/company/flow', { body: flow });
  }
  flowVersions(): Promise<FlowVersionList> {
    return this.request('GET', '/api/company/flow/versions');
  }
  /** Makes an earlier version live again. */
  republishFlow(version: number): Promise<PublishFlowResponse> {
    return this.request('POST', `/api/company/flow/versions/${version}/publish`, { body: {} });
  }
  flowDraft(): Promise<FlowDraftResponse> {
    return this.request('GET', '/api/company/flow/draft');
  }
  /** Saves the builder's work unpublished (kept even with problems). */
  saveFlowDraft(flow: unknown): Promise<FlowDraftResponse> {
    return this.request('PUT', '/api/company/flow/draft', { body: flow });
  }
  /** Starts a test conversation running `flow` (from `startAt`), hidden from the inbox. */
  tryFlow(flow: unknown, startAt?: string): Promise<TryFlowResponse> {
    return this.request('POST', '/api/company/flow/try', { body: { flow, ...(startAt ? { start_at: startAt } : {}) } });
  }

  private async request<T>(method: string, path: string, init: { body?: unknown; query?: Query; auth?: boolean } = {}): Promise<T> {
    const response = await this.send(method, this.url(path, init.query), init.body, init.auth ?? true);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async send(method: string, url: string, body: unknown, auth: boolean): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = auth ? this.options.token() : undefined;
    if (token) headers.authorization = `Bearer ${token}`;
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await doFetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw new ApiRequestError(0, 'network', error instanceof Error ? error.message : 'Network error');
    }
    if (!response.ok) {
      if (response.status === 401 && auth) this.options.onUnauthorized?.();
      throw await ApiRequestError.from(response);
    }
    return response;
  }
}
