// Builds the chat widget (client/vite.widget.config.ts) into a folder of its own and measures it:
// what sites download is the one file widget.js, gzipped by any sensible web server.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { clientDir } from './client-build.js';

/** The budget of issue #6: the widget stays under 40 KB gzipped. */
export const WIDGET_GZIP_BUDGET = 40 * 1024;

export interface WidgetSize {
  raw: number;
  gzip: number;
  brotli: number;
}

export function buildWidget(): { file: string; size: WidgetSize; cleanup(): void } {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-widget-'));
  const vite = path.join(clientDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'vite.widget.config.ts', '--outDir', outDir, '--logLevel', 'warn'],
    { cwd: clientDir, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (result.status !== 0) {
    throw new Error(`Building the widget failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  const file = path.join(outDir, 'widget.js');
  const content = fs.readFileSync(file);
  return {
    file,
    size: {
      raw: content.length,
      gzip: zlib.gzipSync(content, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(content).length,
    },
    cleanup: () => fs.rmSync(outDir, { recursive: true, force: true }),
  };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
