import { define } from '../../define.js';
import { ParleyArticle } from './article.component.js';

define('parley-article', ParleyArticle);

declare global {
  interface HTMLElementTagNameMap {
    'parley-article': ParleyArticle;
  }
}

export { ParleyArticle };
