import '../login-form/login-form.js';
import '../nav-bar/nav-bar.js';
import '../chat-list/chat-list.js';
import '../conversation-view/conversation-view.js';
import '../search-view/search-view.js';
import '../leads-view/leads-view.js';
import '../agents-view/agents-view.js';
import '../settings-view/settings-view.js';
import '../ai-view/ai-view.js';
import '../webhooks-view/webhooks-view.js';
import '../articles-view/articles-view.js';
import '../companies-view/companies-view.js';
import '../account-view/account-view.js';
import { define } from '../../lib/define.js';
import { ParleyAdminApp } from './admin-app.component.js';

export { ParleyAdminApp };
define('parley-admin-app', ParleyAdminApp);

declare global {
  interface HTMLElementTagNameMap {
    'parley-admin-app': ParleyAdminApp;
  }
}
