import { useId, type ReactNode, type Ref, type TextareaHTMLAttributes } from 'react';
import { cx } from './cx';
import { AlertIcon } from './icons';

export interface TextAreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  labelAside?: ReactNode;
  ref?: Ref<HTMLTextAreaElement>;
}

/** A labelled multi-line field, with the same hint and error handling as TextField. */
export function TextArea({ label, hint, error, labelAside, id, className, rows = 5, ...rest }: TextAreaProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const describedBy = error ? `${inputId}-error` : hint ? `${inputId}-hint` : undefined;
  return (
    <div className={cx('sb-field', className)}>
      <div className="sb-field__label-row">
        <label className="sb-field__label" htmlFor={inputId}>
          {label}
        </label>
        {labelAside}
      </div>
      <textarea
        {...rest}
        id={inputId}
        rows={rows}
        className="sb-field__input sb-field__textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
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
