// Entry of a mail-reading thread (piscina). From sources (development, tests) the TypeScript loader
// is registered first, as the main process has it; a build runs the compiled module directly.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const source = new URL('./read-mail.ts', import.meta.url);
let task;
if (existsSync(fileURLToPath(source))) {
  register('@swc-node/register/esm', import.meta.url);
  task = await import(source.href);
} else {
  task = await import(new URL('./read-mail.js', import.meta.url).href);
}

export default task.default;
