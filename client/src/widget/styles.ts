// The widget's styles, inside its shadow root. `--sbw-accent` is the tenant's colour.
export const widgetStyles = `
:host { all: initial; }
.sbw { --sbw-accent: #4f46e5; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; }
.sbw *, .sbw *::before, .sbw *::after { box-sizing: border-box; }
.sbw button, .sbw input, .sbw textarea { font: inherit; color: inherit; }
.sbw-launcher { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border: 0; border-radius: 50%;
  background: var(--sbw-accent); color: #fff; cursor: pointer; display: grid; place-items: center;
  box-shadow: 0 6px 20px rgba(17, 24, 39, .25); transition: transform .15s; }
.sbw-launcher:hover { transform: scale(1.05); }
.sbw :focus-visible { outline: 2px solid var(--sbw-accent); outline-offset: 2px; }
.sbw-launcher:focus-visible { outline-color: #111827; }
.sbw-badge { position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 5px; border-radius: 10px;
  background: #dc2626; color: #fff; font-size: 12px; font-weight: 600; display: grid; place-items: center; }
.sbw-panel { position: fixed; right: 20px; bottom: 88px; width: 360px; max-width: calc(100vw - 24px);
  height: 520px; max-height: calc(100vh - 110px); background: #fff; border-radius: 14px; display: flex; flex-direction: column;
  box-shadow: 0 12px 40px rgba(17, 24, 39, .22); overflow: hidden; border: 1px solid #e5e7eb; }
@media (max-width: 480px) { .sbw-panel { right: 12px; bottom: 84px; height: calc(100vh - 100px); } }
.sbw-header { background: var(--sbw-accent); color: #fff; padding: 14px 16px; display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.sbw-header strong { display: block; font-size: 15px; }
.sbw-header span { font-size: 12px; opacity: .85; }
.sbw-icon { background: transparent; border: 0; color: inherit; cursor: pointer; padding: 4px; border-radius: 6px; display: grid; }
.sbw-icon:hover { background: rgba(255, 255, 255, .15); }
.sbw-log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 8px; background: #f9fafb; }
.sbw-msg { max-width: 82%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.sbw-msg--agent { align-self: flex-start; background: #fff; border: 1px solid #e5e7eb; border-bottom-left-radius: 4px; }
.sbw-msg--me { align-self: flex-end; background: var(--sbw-accent); color: #fff; border-bottom-right-radius: 4px; }
.sbw-author { display: block; font-size: 11px; font-weight: 600; color: #6b7280; margin-bottom: 2px; }
.sbw-system { align-self: center; text-align: center; font-size: 12px; color: #6b7280; margin: 4px 12px; }
.sbw-typing { font-size: 12px; color: #6b7280; font-style: italic; margin: 0; }
.sbw-composer, .sbw-contact, .sbw-ended, .sbw-transcript { padding: 10px 12px; border-top: 1px solid #e5e7eb; background: #fff; }
.sbw-row { display: flex; gap: 8px; align-items: flex-end; }
.sbw textarea, .sbw input { flex: 1; width: 100%; border: 1px solid #d1d5db; border-radius: 10px; padding: 8px 10px; resize: none; background: #fff; }
.sbw textarea:focus, .sbw input:focus { outline: none; border-color: var(--sbw-accent); box-shadow: 0 0 0 3px color-mix(in srgb, var(--sbw-accent) 20%, transparent); }
.sbw-send { width: 40px; height: 40px; border: 0; border-radius: 10px; background: var(--sbw-accent); color: #fff; cursor: pointer; display: grid; place-items: center; flex: none; }
.sbw-send:disabled, .sbw-primary:disabled { opacity: .5; cursor: default; }
.sbw-contact { display: flex; flex-direction: column; gap: 8px; }
.sbw-contact p { margin: 0; color: #4b5563; font-size: 13px; }
.sbw-contact label { display: flex; flex-direction: column; gap: 4px; font-size: 12px; font-weight: 600; color: #374151; }
.sbw-primary { border: 0; border-radius: 10px; padding: 9px 14px; background: var(--sbw-accent); color: #fff; font-weight: 600; cursor: pointer; }
.sbw-link { border: 0; background: none; padding: 0; color: var(--sbw-accent); cursor: pointer; font-size: 13px; text-decoration: underline; }
.sbw-transcript { padding-top: 6px; padding-bottom: 8px; border-top: 0; }
.sbw-ended p { margin: 0 0 6px; color: #374151; }
.sbw-error { color: #b91c1c; font-size: 12px; margin: 0 0 6px; }
.sbw-note { color: #047857; font-size: 12px; margin: 0 0 6px; }
`;
