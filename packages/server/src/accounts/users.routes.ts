import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, CreateUserRequest, Strict, UpdateUserRequest, UserList, UserResponse } from '@parley/protocol';
import { Errors } from '../errors.js';
import { hasRole, perAccount } from './auth.js';
import { topics } from '../core/bus.js';
import { agentAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('users')], security: agentAuth };

const UserParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * A company's accounts. Everyone in the company may list them (to see who is who); admins add,
 * change and remove agents and admins; anyone may change their own name, avatar and password.
 * Every query is scoped to the caller's company, so another company's user ids answer 404.
 */
const users: FastifyPluginAsyncTypebox = async (app) => {
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };
  app.get(
    '/api/users',
    { config, onRequest: app.authenticate, schema: { summary: "List the company's accounts", ...openapi, response: { 200: UserList, '4xx': ApiError, '5xx': ApiError } } },
    async (request) => ({ users: await app.users.list(request.user.companyId) }),
  );

  app.post(
    '/api/users',
    {
      config,
      onRequest: app.requireRole('admin'),
      schema: { summary: 'Add an account (admins; the owner may add to another company)', ...openapi, body: CreateUserRequest, response: { 201: UserResponse, '4xx': ApiError, '5xx': ApiError } },
    },
    async (request, reply) => {
      const { company_id: companyId = request.user.companyId, ...account } = request.body;
      if (companyId !== request.user.companyId) {
        // Only the owner runs the whole instance, and so may staff another company.
        if (request.user.role !== 'owner') throw Errors.forbidden('Only the owner may add accounts to another company');
        if (!app.companies.byIdOrUndefined(companyId)) throw Errors.notFound('Company not found');
      }
      const user = await app.users.create(companyId, account);
      return reply.code(201).send({ user });
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config,
      onRequest: app.authenticate,
      schema: { summary: 'Change an account (your own profile, or any account as an admin)', ...openapi, params: UserParams, body: UpdateUserRequest, response: { 200: UserResponse, '4xx': ApiError, '5xx': ApiError } },
    },
    async (request) => {
      const me = request.user;
      const target = await app.users.get(me.companyId, request.params.id);
      const self = target.id === me.id;
      const { role, disabled, ...own } = request.body;
      if (!self && !hasRole(me.role, 'admin')) throw Errors.forbidden('Only admins may change other accounts');
      if (target.role === 'owner' && !self) throw Errors.forbidden('The owner account can only be changed by the owner');
      if (self && (role !== undefined || disabled !== undefined)) throw Errors.forbidden('You cannot change your own role or disable yourself');
      const user = await app.users.update(me.companyId, target.id, { ...own, role, disabled, avatarUrl: own.avatar_url });
      if (disabled === true) await revoke(target.id, target.name, me.companyId);
      return { user };
    },
  );

  app.delete(
    '/api/users/:id',
    {
      config,
      onRequest: app.requireRole('admin'),
      schema: { summary: 'Delete an account and close its sockets (admins)', ...openapi, params: UserParams, response: { 204: Type.Null(), '4xx': ApiError, '5xx': ApiError } },
    },
    async (request, reply) => {
      const me = request.user;
      const target = await app.users.get(me.companyId, request.params.id);
      if (target.id === me.id) throw Errors.forbidden('You cannot delete your own account');
      if (target.role === 'owner') throw Errors.forbidden('The owner account cannot be deleted');
      await app.users.remove(me.companyId, target.id);
      await revoke(target.id, target.name, me.companyId);
      return reply.code(204).send(null);
    },
  );

  /** Closes the account's sockets; a removed or disabled agent's chats go back to the queue. */
  async function revoke(userId: string, name: string, companyId: string): Promise<void> {
    app.bus.publish(topics.company(companyId), { type: 'user_revoked', companyId, userId });
    await app.handoff.release({ id: userId, companyId, name });
  }
};

export default users;
