/** @jsxImportSource preact */
// widget.js: what a business pastes into its site is
//   <script src="https://help.example.com/widget.js" data-widget-key="wk_…" async></script>
// The widget lives in a shadow root, so the site's styles and ours never touch.
import { render } from 'preact';
import { Provider } from '@urql/preact';
import { connect } from './api';
import { Widget } from './Widget';
import { widgetStyles } from './styles';

function boot(script: HTMLScriptElement | null): void {
  if (!script?.src) return;
  const src = new URL(script.src, location.href);
  const key = script.dataset.widgetKey ?? src.searchParams.get('key') ?? '';
  if (!key) {
    console.warn('Switchboard chat: the script tag needs data-widget-key');
    return;
  }
  const host = document.createElement('div');
  host.id = 'switchboard-chat';
  // The host only positions; everything visible is inside the shadow root.
  host.style.cssText = 'position:fixed;right:0;bottom:0;z-index:2147483000;';
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = widgetStyles;
  root.appendChild(style);
  const mount = document.createElement('div');
  root.appendChild(mount);
  document.body.appendChild(host);
  const connection = connect(src.origin, key);
  render(
    <Provider value={connection.client}>
      <Widget connection={connection} />
    </Provider>,
    mount,
  );
}

const current = document.currentScript as HTMLScriptElement | null;
if (document.body) boot(current);
else document.addEventListener('DOMContentLoaded', () => boot(current));
