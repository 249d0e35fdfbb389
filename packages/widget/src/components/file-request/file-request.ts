import { define } from '../../define.js';
import { ParleyFileRequest } from './file-request.component.js';

define('parley-file-request', ParleyFileRequest);

declare global {
  interface HTMLElementTagNameMap {
    'parley-file-request': ParleyFileRequest;
  }
}

export { ParleyFileRequest };
