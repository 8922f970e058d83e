import { defineConfig } from 'vite';

// The customer chat widget (src/widget): one self-contained IIFE, dist/widget.js, built after the
// app (`pnpm build`), served by the API server at /widget.js. Preact + urql keep it small; the
// size check (scripts/widget-size.mjs, in `pnpm test` and `pnpm bench:widget`) holds it under 40 KB gzipped.
export default defineConfig({
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: 'src/widget/main.tsx',
      formats: ['iife'],
      name: 'SwitchboardChat',
      fileName: () => 'widget.js',
    },
  },
});
