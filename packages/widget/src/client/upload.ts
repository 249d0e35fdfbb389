import type { UploadImageResponse } from '../protocol.js';
import { apiUrl } from './link.js';

/** A refused or failed upload, with the server's message when it gave one. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/**
 * Uploads an image to `POST /api/upload-image/` and resolves with its absolute URL. Reports
 * progress (0 to 1) where the browser can (XMLHttpRequest); falls back to fetch elsewhere.
 */
export async function uploadImage(
  server: string,
  session: string,
  file: Blob,
  onProgress: (fraction: number) => void = () => {},
  fetchFn: typeof fetch = globalThis.fetch,
): Promise<string> {
  const form = new FormData();
  form.append('chatbot_session', session);
  form.append('image', file, (file as File).name || 'image');
  const url = apiUrl(server, '/api/upload-image/');
  const { status, body } =
    typeof XMLHttpRequest === 'function' && fetchFn === globalThis.fetch
      ? await viaXhr(url, form, onProgress)
      : await fetchFn(url, { method: 'POST', body: form, credentials: 'omit' }).then(async (r) => ({ status: r.status, body: await r.text() }));
  let data: Partial<UploadImageResponse> & { message?: string } = {};
  try {
    data = JSON.parse(body) as typeof data;
  } catch {
    // not JSON: use the status below
  }
  if (status !== 200 || !data.uploaded_image_url) throw new UploadError(data.message ?? `Upload failed (HTTP ${status || 'network error'})`, status);
  onProgress(1);
  return data.uploaded_image_url;
}

function viaXhr(url: string, form: FormData, onProgress: (fraction: number) => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => resolve({ status: 0, body: '' });
    xhr.send(form);
  });
}
