import { afterEach, describe, expect, it } from 'vitest';
import { $, $$, mount, record } from '../../../test/dom.js';
import type { ParleyUploadEvent } from '../../events/parley-upload.js';
import './file-request.js';
import type { ParleyFileRequest } from './file-request.component.js';
import '../error/error.js';

afterEach(() => document.body.replaceChildren());

const request = { prompt: 'PNG or JPEG, up to 1 KB', accept: 'image/png,image/jpeg', maxBytes: 1024 };

describe('<parley-file-request>', () => {
  it('refuses a file of the wrong type or size before anything is uploaded', async () => {
    const uploads = record<ParleyUploadEvent>('parley-upload');
    const el = await mount<ParleyFileRequest>('parley-file-request', request);
    el.take(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    await el.updateComplete;
    expect(($(el, 'parley-error') as unknown as { text: string }).text).toBe('This type of file is not accepted.');
    el.take(new File([new Uint8Array(2048)], 'big.png', { type: 'image/png' }));
    await el.updateComplete;
    expect(($(el, 'parley-error') as unknown as { text: string }).text).toBe('This file is too large (at most 1 KB).');
    expect(uploads).toHaveLength(0);
  });

  it('previews the image, shows progress, and disables itself once uploaded', async () => {
    const uploads = record<ParleyUploadEvent>('parley-upload');
    const el = await mount<ParleyFileRequest>('parley-file-request', request);
    el.take(new File([new Uint8Array(100)], 'photo.png', { type: 'image/png' }));
    await el.updateComplete;
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.file.name).toBe('photo.png');
    expect($(el, '[part=preview]').getAttribute('src')).toMatch(/^blob:/);
    uploads[0]!.progress(0.5);
    await el.updateComplete;
    expect($<HTMLProgressElement>(el, '[part=progress]').value).toBe(0.5);
    expect($(el, '[role=status]').textContent).toBe('Uploading…');
    uploads[0]!.settle({ url: 'https://chat.example.com/uploads/x' });
    await el.updateComplete;
    expect(el.disabled).toBe(true);
    expect($(el, '[role=status]').textContent).toBe('Uploaded');
    expect($$(el, 'input[type=file]')).toHaveLength(0);
  });

  it('lets the visitor try again when the upload fails', async () => {
    const uploads = record<ParleyUploadEvent>('parley-upload');
    const el = await mount<ParleyFileRequest>('parley-file-request', request);
    el.take(new File([new Uint8Array(10)], 'photo.jpg', { type: 'image/jpeg' }));
    uploads[0]!.settle({ error: 'Only PNG, JPEG, GIF and WebP images are accepted' });
    await el.updateComplete;
    expect(($(el, 'parley-error') as unknown as { text: string }).text).toContain('Only PNG');
    expect($$(el, 'input[type=file]')).toHaveLength(1);
  });
});
