import { useCallback, useRef } from 'react';
import { Kbd, KeyboardIcon, useDismiss } from '../../shared/ui';

export const SHORTCUTS: ReadonlyArray<{ keys: string[]; label: string }> = [
  { keys: ['j', '↓'], label: 'Next ticket' },
  { keys: ['k', '↑'], label: 'Previous ticket' },
  { keys: ['Enter'], label: 'Open the selected ticket' },
  { keys: ['/'], label: 'Search' },
  { keys: ['c'], label: 'New ticket' },
  { keys: ['?'], label: 'Show these shortcuts' },
];

/** The "?" button and its popover listing the inbox's keyboard shortcuts. */
export function ShortcutsHelp({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => onOpenChange(false), [onOpenChange]);
  useDismiss(open, rootRef, close, buttonRef);
  return (
    <div className="ib-help" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="sb-icon-button"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => onOpenChange(!open)}
      >
        <KeyboardIcon size={18} />
      </button>
      {open && (
        <div className="sb-popover ib-help__panel" role="dialog" aria-label="Keyboard shortcuts">
          <p className="sb-popover__title">Keyboard shortcuts</p>
          <dl className="ib-help__list">
            {SHORTCUTS.map((shortcut) => (
              <div key={shortcut.label} className="ib-help__item">
                <dt>{shortcut.label}</dt>
                <dd>
                  {shortcut.keys.map((key, index) => (
                    <span key={key}>
                      {index > 0 && <span className="ib-help__or">or</span>}
                      <Kbd>{key}</Kbd>
                    </span>
                  ))}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}
