// The chat widget's size budget, checked on every `pnpm test`: the figure is printed in the CI
// output, and the test fails when widget.js grows past 40 KB gzipped.
import { describe, expect, it } from 'vitest';
import { buildWidget, kb, WIDGET_GZIP_BUDGET } from '../support/widget-build.js';

describe('the chat widget', () => {
  it('builds to one file under 40 KB gzipped', () => {
    const { file, size, cleanup } = buildWidget();
    try {
      console.log(
        `widget.js: ${kb(size.raw)} raw, ${kb(size.gzip)} gzipped (budget ${kb(WIDGET_GZIP_BUDGET)}), ${kb(size.brotli)} brotli`,
      );
      expect(size.gzip).toBeLessThan(WIDGET_GZIP_BUDGET);
      expect(size.raw).toBeGreaterThan(1024); // a real build, not an empty file
      expect(file.endsWith('widget.js')).toBe(true);
    } finally {
      cleanup();
    }
  });
});
