// The public side of live chat, on the API server's port:
//   GET  /widget.js                 the widget (client/dist/widget.js), for any site's <script> tag
//   POST /widget/graphql?key=<key>  the visitor API over HTTP, CORS for the tenant's allowed origins
//   ws   /widget/graphql?key=<key>  the same over graphql-ws; the upgrade's Origin is checked too
// Its own schema keeps visitor operations out of the agent API (and agent ones out of reach).
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, specifiedRules, validate, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { buildSchema, type MiddlewareFn } from 'type-graphql';
import type { Services } from '../../../app/services.js';
import { limitRules } from '../../../graphql/limits.js';
import { toGraphQLError } from '../../../graphql/errors.js';
import { bearerToken } from '../../../graphql/request-context.js';
import { busPubSub } from '../../../graphql/pubsub.js';
import { DomainError } from '../../../graphql/errors.js';
import type { LiveChatSettings } from '../livechat.entities.js';
import { originAllowed } from '../origins.js';
import type { VisitorContext } from './visitor.context.js';
import { VisitorResolver } from './visitor.resolver.js';

export const WIDGET_GRAPHQL_PATH = '/widget/graphql';

const domainErrors: MiddlewareFn<VisitorContext> = async (_action, next) => {
  try {
    return await next();
  } catch (error) {
    throw toGraphQLError(error) ?? error;
  }
};

let schema: Promise<GraphQLSchema> | undefined;

export function buildVisitorSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    resolvers: [VisitorResolver],
    validate: { forbidUnknownValues: false },
    globalMiddlewares: [domainErrors],
    pubSub: busPubSub,
  });
  return schema;
}

export interface WidgetEndpointOptions {
  app: Express;
  services: () => Services | null;
  clientDir?: string;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** How the agent API's sockets format errors (domain codes, validation codes). */
  formatSocketErrors: (errors: readonly GraphQLError[], validation: boolean) => GraphQLFormattedError[];
}

export interface WidgetEndpoint {
  /** For the server's upgrade dispatcher: handles ws upgrades of WIDGET_GRAPHQL_PATH. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

function widgetKey(url: string | undefined): string {
  return new URL(url ?? '/', 'http://widget').searchParams.get('key') ?? '';
}

function ipOf(req: http.IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** The enabled widget named by the request's key, if the request's Origin may use it. */
async function admitted(
  services: Services,
  req: http.IncomingMessage,
): Promise<LiveChatSettings | 'unknown' | 'origin'> {
  const settings = await services.liveChatSettings.byPublicKey(widgetKey(req.url));
  if (!settings) return 'unknown';
  if (!originAllowed(req.headers.origin, settings.allowedOrigins)) return 'origin';
  return settings;
}

export async function mountWidgetEndpoint(options: WidgetEndpointOptions): Promise<WidgetEndpoint> {
  const { app } = options;
  const visitorSchema = await buildVisitorSchema();
  const rules = [...specifiedRules, ...limitRules()];

  app.get('/widget.js', (_req, res) => {
    const file = options.clientDir ? path.join(options.clientDir, 'widget.js') : '';
    if (!file || !fs.existsSync(file)) {
      res.status(404).type('application/javascript').send('/* the chat widget is not built: pnpm build */\n');
      return;
    }
    // Sites keep the same tag for years: let browsers revalidate rather than cache a stale widget.
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.sendFile(file);
  });

  // CORS and admission for every visitor request, preflights included.
  const gate = async (req: Request, res: Response, next: NextFunction) => {
    const services = options.services();
    if (!services) return refuse(res, 503, 'SERVICE_UNAVAILABLE', 'Server is starting');
    try {
      const verdict = await admitted(services, req);
      if (verdict === 'unknown') return refuse(res, 404, 'NOT_FOUND', 'No chat widget with this key is enabled');
      if (verdict === 'origin') return refuse(res, 403, 'FORBIDDEN', 'This site may not use this chat widget');
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin!);
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization');
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
      await services.liveChat.limits.request(req.ip ?? ipOf(req));
      res.locals.widgetSettings = verdict;
      next();
    } catch (error) {
      if (error instanceof DomainError && error.code === 'TOO_MANY_REQUESTS') {
        return refuse(res, 429, 'TOO_MANY_REQUESTS', error.message);
      }
      next(error);
    }
  };

  const apollo = new ApolloServer<VisitorContext>({
    schema: visitorSchema,
    validationRules: limitRules(),
    formatError: options.formatError,
    introspection: false,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  const handler = expressMiddleware(apollo, {
    context: async ({ req, res }: { req: Request; res: Response }): Promise<VisitorContext> => {
      const services = options.services()!;
      const settings = res.locals.widgetSettings as LiveChatSettings;
      const token = bearerToken(req.headers.authorization);
      const visitor = token ? await services.liveChat.authenticateVisitor(settings, token) : null;
      if (token && !visitor) {
        throw new GraphQLError('This conversation is no longer available; start a new one', {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      return { services, settings, visitor, ip: req.ip ?? ipOf(req), userAgent: req.headers['user-agent'] ?? null };
    },
  });
  app.use(WIDGET_GRAPHQL_PATH, gate, express.json({ limit: '32kb' }), handler);

  const wsServer = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const visitorSockets = new VisitorSockets();
  const wsCleanup = useServer<Record<string, unknown>, { widget?: VisitorContext }>(
    {
      schema: visitorSchema,
      validate: (s, document) => validate(s, document, rules),
      onConnect: async (ctx) => {
        const services = options.services();
        if (!services) return false;
        const verdict = await admitted(services, ctx.extra.request);
        if (typeof verdict === 'string') return false;
        const token = bearerToken(ctx.connectionParams?.authorization);
        const visitor = token ? await services.liveChat.authenticateVisitor(verdict, token) : null;
        if (token && !visitor) return false; // 4403: the widget starts over
        visitorSockets.add(services, ctx.extra.socket, verdict.tenant.id, ctx.extra.request);
        ctx.extra.widget = {
          services,
          settings: verdict,
          visitor,
          ip: ipOf(ctx.extra.request),
          userAgent: ctx.extra.request.headers['user-agent'] ?? null,
        };
        return true;
      },
      context: (ctx) => {
        if (!ctx.extra.widget) throw new Error('not admitted');
        return ctx.extra.widget;
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return result;
        return { ...result, errors: options.formatSocketErrors(result.errors, false) as unknown as GraphQLError[] };
      },
      onError: (_ctx, _id, _payload, errors) => options.formatSocketErrors(errors, true) as unknown as GraphQLError[],
    },
    wsServer,
  );

  return {
    upgrade(req, socket, head) {
      const services = options.services();
      if (!services) return reject(socket, 503);
      admitted(services, req)
        .then(async (verdict) => {
          if (verdict === 'unknown') return reject(socket, 404);
          if (verdict === 'origin') return reject(socket, 403);
          await services.liveChat.limits.request(ipOf(req));
          wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
        })
        .catch(() => reject(socket, 429));
    },
    async close() {
      visitorSockets.stop();
      await wsCleanup.dispose();
      wsServer.close();
      await apollo.stop();
    },
  };
}

/**
 * The open visitor sockets, admitted again whenever their tenant's widget changes (a new key, the
 * widget turned off, an origin removed): those no longer admitted are closed with 4403, on which
 * the widget starts over, so a leaked key stops working at once, not at the visitor's next visit.
 */
class VisitorSockets {
  private readonly open = new Map<WebSocket, { tenantId: string; request: http.IncomingMessage }>();
  private stopWatching: (() => void) | null = null;

  add(services: Services, socket: WebSocket, tenantId: string, request: http.IncomingMessage): void {
    this.open.set(socket, { tenantId, request });
    socket.once('close', () => this.open.delete(socket));
    this.watch(services);
  }

  stop(): void {
    this.stopWatching?.();
  }

  private watch(services: Services): void {
    if (this.stopWatching) return;
    const changes = services.bus.subscribe('livechat.widget-changed');
    this.stopWatching = () => void changes.return();
    void (async () => {
      for await (const { payload } of changes) {
        services.liveChatSettings.forgetCachedKeys();
        for (const [socket, visitor] of this.open) {
          if (visitor.tenantId !== payload.tenantId) continue;
          const verdict = await admitted(services, visitor.request).catch(() => 'unknown' as const);
          if (typeof verdict === 'string') socket.close(4403, 'The chat widget changed: start over');
        }
      }
    })();
  }
}

function reject(socket: Duplex, status: number): void {
  const text = { 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status];
  socket.end(`HTTP/1.1 ${status} ${text ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
