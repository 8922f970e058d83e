import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { cx } from './cx';
import { AlertIcon } from './icons';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'size'> {
  label: string;
  /** Shown under the field while there is no error. */
  hint?: ReactNode;
  /** Marks the field invalid and says why. */
  error?: string | null;
  /** Next to the label, on the right (e.g. a "Forgot password?" link). */
  labelAside?: ReactNode;
  /** Inside the field, on the right (e.g. a show-password toggle). */
  trailing?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

export function TextField({
  label,
  hint,
  error,
  labelAside,
  trailing,
  id,
  className,
  type = 'text',
  ...rest
}: TextFieldProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = error ? errorId : hint ? hintId : undefined;
  return (
    <div className={cx('sb-field', trailing != null && 'sb-field--with-trailing', className)}>
      <div className="sb-field__label-row">
        <label className="sb-field__label" htmlFor={inputId}>
          {label}
        </label>
        {labelAside}
      </div>
      <div className="sb-field__control">
        <input
          {...rest}
          id={inputId}
          type={type}
          className="sb-field__input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
        {trailing != null && <div className="sb-field__trailing">{trailing}</div>}
      </div>
      {error ? (
        <p className="sb-field__error" id={errorId}>
          <AlertIcon size={14} />
          {error}
        </p>
      ) : (
        hint && (
          <p className="sb-field__hint" id={hintId}>
            {hint}
          </p>
        )
      )}
    </div>
  );
}
