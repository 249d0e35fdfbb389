import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { ApiError, SessionToken, Strict, UploadImageResponse } from '@parley/protocol';
import { Errors, isAppError } from '../errors.js';
import { detectImageType } from '../lib/image-type.js';
import { uploadPath } from '../conversations/uploads.js';
import { sessionFrom } from '../core/session-cookie.js';
import { noAuth, visitorAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('visitor')], security: visitorAuth };

const validSession = Compile(SessionToken);

/**
 * Image uploads for a conversation, and serving them back. Files are checked by their bytes,
 * stored under a random id (on disk, or in the database on PostgreSQL, so any node serves them),
 * and served with their true type and `nosniff`.
 */
const uploads: FastifyPluginAsyncTypebox = async (app) => {
  const maxMb = Math.round((app.config.limits.maxUploadBytes / (1024 * 1024)) * 10) / 10;

  app.post(
    '/api/upload-image/',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { summary: 'Upload an image into the conversation (multipart/form-data: `image` file and `chatbot_session` field)', ...openapi, response: { 200: UploadImageResponse, '4xx': ApiError, '5xx': ApiError } },
    },
    async (request) => {
      if (!request.isMultipart()) throw Errors.unsupportedMediaType('Send the image as multipart/form-data in the field "image"');
      let sessionField: string | undefined;
      let image: Buffer | undefined;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'image' || image) throw Errors.badRequest('Send exactly one file, in the field "image"');
            try {
              image = await part.toBuffer();
            } catch (error) {
              if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
                throw Errors.payloadTooLarge(`The image is larger than ${maxMb} MB`);
              }
              throw error;
            }
          } else if (part.fieldname === 'chatbot_session' && typeof part.value === 'string') {
            sessionField = part.value;
          }
        }
      } catch (error) {
        // The multipart parser throws bare errors ("Boundary not found", "Unexpected end of
        // multipart data") for a body the client got wrong: that is a 400, not a 500.
        if (isAppError(error) || (error as { statusCode?: number }).statusCode) throw error;
        throw Errors.badRequest('The multipart body is malformed');
      }
      const token = sessionFrom(request, sessionField);
      if (token === undefined) throw Errors.badRequest('chatbot_session is required, as a form field or the session cookie');
      if (!validSession.Check(token)) throw Errors.notFound('Unknown chatbot session');
      const conversation = await app.chat.resolveSession(token);
      if (!image || image.length === 0) throw Errors.badRequest('No image: send the file in the field "image"');
      const type = detectImageType(image);
      if (!type) throw Errors.unsupportedMediaType('Only PNG, JPEG, GIF and WebP images are accepted');
      const id = await app.uploads.save(conversation.companyId, conversation.id, image, type);
      return {
        message: 'Image uploaded successfully.',
        uploaded_image_url: `${request.protocol}://${request.host}${uploadPath(id)}`,
      };
    },
  );

  app.get(
    '/uploads/:id',
    {
      schema: {
        summary: 'Download an uploaded image',
        tags: [tag('system')],
        security: noAuth,
        params: Strict({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: Type.Unsafe<NodeJS.ReadableStream | Buffer>({ description: 'The image bytes, with their own type' }), '4xx': ApiError },
      },
    },
    async (request, reply) => {
      const row = await app.uploads.find(request.params.id);
      if (!row) throw Errors.notFound('Upload not found');
      const bytes = await app.uploads.read(row);
      if (!bytes) throw Errors.notFound('Upload not found');
      return reply
        .type(row.content_type)
        .header('content-length', bytes.size)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('cache-control', 'private, max-age=31536000, immutable')
        .send(bytes.body);
    },
  );
};

export default uploads;
