import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';

/**
 * `POST /api/upload-image/` (multipart): the file goes in field `image`, the session in field
 * `chatbot_session` or the session cookie. Only png, jpeg, gif and webp are accepted, checked by
 * their bytes; too large is 413, anything else 415.
 */
export const UploadImageResponse = Strict({
  message: Type.String(),
  uploaded_image_url: Type.String(),
});
export type UploadImageResponse = Static<typeof UploadImageResponse>;

/** Image types accepted for upload, by MIME type. */
export const UPLOAD_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type UploadImageType = (typeof UPLOAD_IMAGE_TYPES)[number];
