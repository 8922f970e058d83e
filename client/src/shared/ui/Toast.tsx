import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { cx } from './cx';
import { AlertIcon, CheckCircleIcon, CloseIcon, InfoIcon } from './icons';

type Tone = 'info' | 'success' | 'danger';

interface Toast {
  id: number;
  tone: Tone;
  message: ReactNode;
}

interface Toaster {
  show(message: ReactNode, tone?: Tone): void;
  error(message: ReactNode): void;
}

const ToastContext = createContext<Toaster | null>(null);

const icons = { info: InfoIcon, success: CheckCircleIcon, danger: AlertIcon };

/** Short messages in the bottom corner, for the outcome of actions that have no place of their own. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((toast) => toast.id !== id)), []);
  const show = useCallback(
    (message: ReactNode, tone: Tone = 'info') => {
      const id = next.current++;
      setToasts((all) => [...all.slice(-2), { id, tone, message }]);
      window.setTimeout(() => dismiss(id), tone === 'danger' ? 8000 : 4000);
    },
    [dismiss],
  );
  const toaster = useMemo<Toaster>(() => ({ show, error: (message) => show(message, 'danger') }), [show]);
  return (
    <ToastContext value={toaster}>
      {children}
      <div className="sb-toasts" aria-live="polite">
        {toasts.map((toast) => {
          const Icon = icons[toast.tone];
          return (
            <div key={toast.id} className={cx('sb-toast', `sb-toast--${toast.tone}`)} role="status">
              <Icon size={16} />
              <span className="sb-toast__text">{toast.message}</span>
              <button type="button" className="sb-toast__close" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
                <CloseIcon size={14} />
              </button>
            </div>
          );
        })}
      </div>
    </ToastContext>
  );
}

export function useToast(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) throw new Error('useToast() used outside ToastProvider');
  return toaster;
}
