// A toolbar button that opens a small menu of options: several checked (statuses, levels) or one
// chosen (assignee, sort).
import { useCallback, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { CheckIcon, ChevronDownIcon, cx, useDismiss } from '../../shared/ui';

export interface FilterOption {
  value: string;
  label: string;
  icon?: ReactNode;
  meta?: string;
}

export interface FilterMenuProps {
  label: string;
  /** What is selected, in a word or two ("Me", "2 statuses"); omitted when nothing is filtered. */
  summary?: string | null;
  icon?: ReactNode;
  options: readonly FilterOption[];
  selected: readonly string[];
  multiple?: boolean;
  onChange(values: string[]): void;
  /** Extra content under the options (e.g. a free-text field). */
  children?: ReactNode | ((close: () => void) => ReactNode);
  align?: 'start' | 'end';
  /** A setting rather than a filter: not highlighted when set. */
  quiet?: boolean;
  /** Sections of options: a title before the option with that value. */
  sections?: Record<string, string>;
}

export function FilterMenu({
  label,
  summary,
  icon,
  options,
  selected,
  multiple = false,
  onChange,
  children,
  align = 'start',
  quiet = false,
  sections = {},
}: FilterMenuProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, rootRef, close, buttonRef);

  const toggle = (value: string) => {
    if (!multiple) {
      onChange([value]);
      setOpen(false);
      buttonRef.current?.focus();
      return;
    }
    onChange(selected.includes(value) ? selected.filter((v) => v !== value) : [...selected, value]);
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>('.sb-option') ?? []);
    const index = items.findIndex((item) => item === document.activeElement);
    const next = event.key === 'ArrowDown' ? index + 1 : index - 1;
    items[(next + items.length) % items.length]?.focus();
  };

  const role = multiple ? 'menuitemcheckbox' : 'menuitemradio';
  return (
    <div className="ib-filter" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={cx('ib-filter__button', summary && !quiet && 'ib-filter__button--active')}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((value) => !value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
            requestAnimationFrame(() => menuRef.current?.querySelector<HTMLElement>('.sb-option')?.focus());
          }
        }}
      >
        {icon}
        <span className="ib-filter__label">{label}</span>
        {summary && <span className="ib-filter__summary">{summary}</span>}
        <ChevronDownIcon size={14} className="ib-filter__chevron" />
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          className={cx('sb-popover', 'ib-filter__menu', align === 'end' && 'ib-filter__menu--end')}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKeyDown}
        >
          {options.map((option) => {
            const checked = selected.includes(option.value);
            return (
              <div key={option.value}>
                {sections[option.value] && <p className="sb-popover__title">{sections[option.value]}</p>}
                <button
                  type="button"
                  role={role}
                  aria-checked={checked}
                  className="sb-option"
                  onClick={() => toggle(option.value)}
                >
                  <span className={cx('sb-option__check', !multiple && 'sb-option__radio')}>
                    <CheckIcon size={12} strokeWidth={2.5} />
                  </span>
                  {option.icon}
                  <span className="sb-option__label">{option.label}</span>
                  {option.meta && <span className="sb-option__meta">{option.meta}</span>}
                </button>
              </div>
            );
          })}
          {typeof children === 'function' ? children(close) : children}
        </div>
      )}
    </div>
  );
}
