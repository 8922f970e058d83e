// One HTTP server: GraphQL over HTTP and graphql-ws on /graphql, /healthz, and the built client.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { sharedSubscribe } from '../graphql/shared-execution.js';
import { GraphQLError, specifiedRules, validate, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Services } from '../app/services.js';
import { env } from '../config/env.js';
import { childLogger } from '../lib/logger.js';
import type { RequestContext, Viewer } from '../graphql/context.js';
import { limitRules } from '../graphql/limits.js';
import { forbidden, toGraphQLError } from '../graphql/errors.js';
import { TenantViolationError } from '../db/tenant-scope.js';
import { bearerToken, createRequestContext } from '../graphql/request-context.js';
import { SocketRegistry } from './socket-registry.js';
import { mountAttachmentRoutes } from '../modules/attachments/attachment.routes.js';
import { mountWidgetEndpoint, WIDGET_GRAPHQL_PATH } from '../modules/livechat/widget/widget-endpoint.js';

const log = childLogger('http');

export interface ApiServer {
  port: number;
  url: string;
  sockets: SocketRegistry;
  /** Runs when the server closes (timers tied to its life). */
  onClose(hook: () => void): void;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  port: number;
  host: string;
  schema: GraphQLSchema;
  /** Resolves once the database is reachable and migrated; until then /healthz is 503. */
  services: () => Services | null;
  clientDir?: string;
}

/** Hides internals of unexpected errors; known codes pass through. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  let code = formatted.extensions?.code;
  // Apollo files every validation error under GRAPHQL_VALIDATION_FAILED; keep the code our own
  // rules gave (the limits: BAD_USER_INPUT).
  const ruleCode = error instanceof GraphQLError ? error.originalError : undefined;
  if (code === 'GRAPHQL_VALIDATION_FAILED' && ruleCode instanceof GraphQLError && ruleCode.extensions?.code) {
    code = ruleCode.extensions.code;
    formatted = { ...formatted, extensions: { ...formatted.extensions, code } };
  }
  const known = [
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'BAD_USER_INPUT',
    'NOT_FOUND',
    'TOO_MANY_REQUESTS',
    'GRAPHQL_PARSE_FAILED',
    'GRAPHQL_VALIDATION_FAILED',
    'BAD_REQUEST',
    'PERSISTED_QUERY_NOT_FOUND',
    'PERSISTED_QUERY_NOT_SUPPORTED',
    'OPERATION_RESOLUTION_FAILURE',
  ];
  if (typeof code === 'string' && known.includes(code)) return formatted;
  if (error instanceof GraphQLError && !error.originalError && !code) return formatted;
  log.error({ err: error, path: formatted.path }, 'unexpected error in a GraphQL operation');
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Errors of WebSocket operations, formatted like those over HTTP. Errors thrown while a
 * subscription starts or streams do not pass the resolvers' error middleware: map domain errors
 * to their codes here, and give validation errors the code Apollo gives them over HTTP.
 */
export function formatSocketErrors(errors: readonly GraphQLError[], validation: boolean): GraphQLFormattedError[] {
  return errors.map((error) => {
    const original = error.originalError;
    const mapped = original instanceof TenantViolationError ? forbidden() : original ? toGraphQLError(original) : error;
    let coded = error;
    if (mapped && mapped !== error) {
      coded = new GraphQLError(mapped.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: mapped.extensions,
      });
    } else if (validation && !original && !error.extensions?.code) {
      coded = new GraphQLError(error.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    }
    return formatError(coded.toJSON(), coded);
  });
}

function clientIp(req: http.IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const httpServer = http.createServer(app);
  const sockets = new SocketRegistry();
  const closeHooks: Array<() => void> = [];
  const rules = [...specifiedRules, ...limitRules()];

  app.get('/healthz', async (_req: Request, res: Response) => {
    const services = options.services();
    if (!services) {
      res.status(503).json({ status: 'starting' });
      return;
    }
    try {
      await services.orm.em.fork({ useContext: false }).execute('select 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });

  // graphql-ws on the same port and path. WebSocket upgrades are dispatched by path (one ws server
  // per path: a ws server attached to the HTTP server would refuse every other path).
  const wsServer = new WebSocketServer({ noServer: true });
  const upgrades = new Map<string, (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void>();
  upgrades.set('/graphql', (req, socket, head) =>
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req)),
  );
  httpServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const route = upgrades.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (route) route(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  const wsCleanup = useServer<Record<string, unknown>, { viewer?: Viewer | null }>(
    {
      schema: options.schema,
      validate: (schema, document) => validate(schema, document, rules),
      // Events that many subscribers receive alike are executed once (see shared-execution.ts).
      subscribe: sharedSubscribe,
      onConnect: async (ctx) => {
        const services = options.services();
        if (!services) return false;
        const token = bearerToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
        if (!token) {
          ctx.extra.viewer = null;
          return true;
        }
        const viewer = await services.auth.authenticate(token);
        if (!viewer) return false; // closes with 4403: the client must sign in again
        ctx.extra.viewer = viewer;
        sockets.add(viewer.sessionId, ctx.extra.socket, viewer.sessionExpiresAt);
        return true;
      },
      context: (ctx): RequestContext => {
        const services = options.services();
        if (!services) throw new Error('Server is starting');
        return createRequestContext(
          services,
          ctx.extra.viewer ?? null,
          clientIp(ctx.extra.request),
          ctx.extra.request.headers['user-agent'] ?? null,
        );
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return result;
        return { ...result, errors: formatSocketErrors(result.errors, false) as unknown as GraphQLError[] };
      },
      // Validation errors, and errors that end a subscription.
      onError: (_ctx, _id, _payload, errors) => formatSocketErrors(errors, true) as unknown as GraphQLError[],
    },
    wsServer,
  );

  const apollo = new ApolloServer<RequestContext>({
    schema: options.schema,
    validationRules: limitRules(),
    formatError,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const graphqlHandler = expressMiddleware(apollo, {
    context: async ({ req }: { req: Request }) => {
      const services = options.services();
      if (!services)
        throw new GraphQLError('Server is starting', {
          extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
        });
      const token = bearerToken(req.headers.authorization);
      const viewer = token ? await services.auth.authenticate(token) : null;
      if (token && !viewer) {
        throw new GraphQLError('Your session has expired or was revoked; sign in again', {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      return createRequestContext(services, viewer, req.ip ?? clientIp(req), req.headers['user-agent'] ?? null);
    },
  });
  app.use('/graphql', express.json({ limit: env().HTTP_BODY_LIMIT }), graphqlHandler);

  mountAttachmentRoutes(app, options.services, env().ATTACHMENT_MAX_BYTES);

  // The chat widget and its visitor API (modules/livechat/widget).
  const widget = await mountWidgetEndpoint({
    app,
    services: options.services,
    clientDir: options.clientDir,
    formatError,
    formatSocketErrors,
  });
  upgrades.set(WIDGET_GRAPHQL_PATH, widget.upgrade);

  if (options.clientDir && fs.existsSync(path.join(options.clientDir, 'index.html'))) {
    const clientDir = options.clientDir;
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!graphql|healthz|attachments).*/, (_req, res) => {
      res.sendFile(path.join(clientDir, 'index.html'));
    });
  }

  // Malformed or oversized bodies: a clear error, never a stack trace.
  app.use(
    (error: Error & { status?: number; type?: string }, _req: Request, res: Response, next: (e?: unknown) => void) => {
      if (res.headersSent) return next(error);
      const status = error.status ?? 500;
      if (status >= 500) log.error({ err: error }, 'request failed');
      res.status(status).json({
        errors: [
          {
            message: status === 413 ? 'Request body too large' : status < 500 ? error.message : 'Internal server error',
            extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' },
          },
        ],
      });
    },
  );

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    url: `http://localhost:${port}`,
    sockets,
    onClose: (hook) => closeHooks.push(hook),
    close: async () => {
      closeHooks.splice(0).forEach((hook) => hook());
      await apollo.stop();
      await widget.close();
      wsServer.close();
    },
  };
}
