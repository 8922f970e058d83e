import { useId, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';
import { cx } from './cx';
import { AlertIcon, ChevronDownIcon } from './icons';

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'size'> {
  label: string;
  /** Hides the label visually (it still names the field). */
  hideLabel?: boolean;
  hint?: ReactNode;
  error?: string | null;
  labelAside?: ReactNode;
  /** Shown inside the control, before the value (an icon or a colour dot). */
  leading?: ReactNode;
  size?: 'sm' | 'md';
  ref?: Ref<HTMLSelectElement>;
}

/** A native select (accessible, right on phones) dressed like the other fields. */
export function SelectField({
  label,
  hideLabel = false,
  hint,
  error,
  labelAside,
  leading,
  size = 'md',
  id,
  className,
  children,
  ...rest
}: SelectFieldProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const describedBy = error ? `${inputId}-error` : hint ? `${inputId}-hint` : undefined;
  return (
    <div className={cx('sb-field', className)}>
      <div className={cx('sb-field__label-row', hideLabel && 'sb-visually-hidden')}>
        <label className="sb-field__label" htmlFor={inputId}>
          {label}
        </label>
        {labelAside}
      </div>
      <div className={cx('sb-select', size === 'sm' && 'sb-select--sm', leading != null && 'sb-select--leading')}>
        {leading != null && <span className="sb-select__leading">{leading}</span>}
        <select
          {...rest}
          id={inputId}
          className="sb-select__control"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        >
          {children}
        </select>
        <ChevronDownIcon className="sb-select__chevron" size={14} />
      </div>
      {error ? (
        <p className="sb-field__error" id={`${inputId}-error`}>
          <AlertIcon size={14} />
          {error}
        </p>
      ) : (
        hint && (
          <p className="sb-field__hint" id={`${inputId}-hint`}>
            {hint}
          </p>
        )
      )}
    </div>
  );
}
