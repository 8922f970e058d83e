// Upload (multipart, Bearer token) and download (signed link) of attachments, over plain HTTP.
import type { Express, Request, Response } from 'express';
import busboy from 'busboy';
import type { Services } from '../../app/services.js';
import { forTenant, acrossTenants } from '../../db/tenant-scope.js';
import { DomainError } from '../../graphql/errors.js';
import { bearerToken } from '../../graphql/request-context.js';
import { isUuid } from '../../lib/ids.js';
import { actorOf } from '../actor.js';
import { ticketAudience, canSeeTicket } from '../tickets/ticket.policy.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { Attachment } from './attachment.entity.js';

interface ParsedUpload {
  fields: Record<string, string>;
  filename: string;
  mimeType: string;
  bytes: Buffer;
  truncated: boolean;
}

function parseUpload(req: Request, maxBytes: number): Promise<ParsedUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 5, fieldSize: 1024 } });
    } catch {
      reject(new DomainError('BAD_USER_INPUT', 'Send the file as multipart/form-data'));
      return;
    }
    const fields: Record<string, string> = {};
    let file: ParsedUpload | null = null;
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      const upload: ParsedUpload = {
        fields,
        filename: info.filename ?? 'attachment',
        mimeType: info.mimeType,
        bytes: Buffer.alloc(0),
        truncated: false,
      };
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (upload.truncated = true));
      stream.on('end', () => {
        upload.bytes = Buffer.concat(chunks);
        file = upload;
      });
    });
    parser.on('error', () => reject(new DomainError('BAD_USER_INPUT', 'Malformed upload')));
    parser.on('close', () =>
      file ? resolve(file) : reject(new DomainError('BAD_USER_INPUT', 'No file in the upload', 'file')),
    );
    req.pipe(parser);
  });
}

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400 };

export function mountAttachmentRoutes(app: Express, getServices: () => Services | null, maxBytes: number): void {
  app.post('/attachments', async (req, res) => {
    const services = getServices();
    if (!services) return sendError(res, 503, 'SERVICE_UNAVAILABLE', 'Server is starting');
    try {
      const viewer = await services.auth.authenticate(bearerToken(req.headers.authorization));
      if (!viewer) throw new DomainError('UNAUTHENTICATED', 'You must sign in first');
      const upload = await parseUpload(req, maxBytes);
      if (upload.truncated)
        throw new DomainError('BAD_USER_INPUT', `Files are limited to ${Math.floor(maxBytes / 1048576)} MB`, 'file');
      const ticketId = upload.fields.ticketId ?? '';
      if (!isUuid(ticketId)) throw new DomainError('BAD_USER_INPUT', 'ticketId is not a valid id', 'ticketId');
      const em = forTenant(services.orm.em, viewer.tenantId);
      const ticket = await em.findOne(Ticket, ticketId);
      if (!ticket || !canSeeTicket(await ticketAudience(em, viewer), ticket))
        throw new DomainError('NOT_FOUND', 'No such ticket', 'ticketId');
      const attachment = await services.attachments.upload(em, actorOf(viewer), {
        ticketId,
        filename: upload.filename,
        declaredType: upload.mimeType,
        bytes: upload.bytes,
      });
      res.status(201).json({
        id: attachment.id,
        filename: attachment.filename,
        contentType: attachment.contentType,
        size: attachment.size,
        url: services.attachments.signedPath(attachment),
      });
    } catch (error) {
      if (error instanceof DomainError) return sendError(res, STATUS[error.code] ?? 400, error.code, error.message);
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Upload failed');
    }
  });

  app.get('/attachments/:id', async (req, res) => {
    const services = getServices();
    if (!services) return sendError(res, 503, 'SERVICE_UNAVAILABLE', 'Server is starting');
    const id = String(req.params.id);
    const expires = Number(req.query.expires);
    const signature = String(req.query.signature ?? '');
    if (!isUuid(id) || !services.attachments.verify(id, expires, signature)) {
      return sendError(res, 403, 'FORBIDDEN', 'This download link is invalid or has expired');
    }
    const attachment = await acrossTenants(services.orm.em).findOne(Attachment, id);
    if (!attachment) return sendError(res, 404, 'NOT_FOUND', 'No such attachment');
    const active = services.attachments.isActiveContent(attachment.contentType);
    const inline =
      !active && /^(image\/(png|jpeg|gif|webp|avif)|text\/plain|application\/pdf)/.test(attachment.contentType);
    res.setHeader('Content-Type', active ? 'application/octet-stream' : attachment.contentType);
    res.setHeader('Content-Length', String(attachment.size));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader(
      'Content-Disposition',
      `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
    );
    services.attachments
      .read(attachment)
      .on('error', () => res.destroy())
      .pipe(res);
  });
}
