import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';

/** Cookie parsing and setting (the component chat API keeps its session in an HttpOnly cookie). */
export default fp(
  async (app) => {
    await app.register(cookie);
  },
  { name: 'cookie' },
);
