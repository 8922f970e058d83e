// pnpm bench:widget: builds the chat widget and prints its raw, gzipped and brotli sizes.
import { buildWidget, kb, WIDGET_GZIP_BUDGET } from '../support/widget-build.js';

const started = performance.now();
const { size, cleanup } = buildWidget();
const seconds = ((performance.now() - started) / 1000).toFixed(1);
cleanup();
console.log(`chat widget (client/dist/widget.js), built in ${seconds} s`);
console.log(`  raw      ${kb(size.raw).padStart(9)}  (${size.raw} bytes)`);
console.log(`  gzip -9  ${kb(size.gzip).padStart(9)}  (${size.gzip} bytes; budget ${kb(WIDGET_GZIP_BUDGET)})`);
console.log(`  brotli   ${kb(size.brotli).padStart(9)}  (${size.brotli} bytes)`);
if (size.gzip >= WIDGET_GZIP_BUDGET) {
  console.error('over budget');
  process.exitCode = 1;
}
