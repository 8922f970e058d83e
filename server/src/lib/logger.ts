import { pino, type Logger } from 'pino';
import { env } from '../config/env.js';

// Secrets must never reach a log line, whatever object a caller hands us.
export const redact = {
  paths: [
    'password',
    '*.password',
    '*.*.password',
    'token',
    '*.token',
    'authorization',
    '*.authorization',
    'headers.authorization',
    'req.headers.authorization',
    '*.imapPassword',
    '*.smtpPassword',
    'imapPassword',
    'smtpPassword',
    'secret',
    '*.secret',
  ],
  censor: '[redacted]',
};

let root: Logger | undefined;

export function logger(): Logger {
  root ??= pino({ level: env().LOG_LEVEL, redact, base: { pid: process.pid } });
  return root;
}

export function childLogger(name: string): Logger {
  return logger().child({ module: name });
}
