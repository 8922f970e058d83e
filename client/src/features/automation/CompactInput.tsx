import type { InputHTMLAttributes } from 'react';

/** A one-line input for dense rule rows; the label is for screen readers (the row says what it is). */
export function CompactInput({ label, className, ...rest }: InputHTMLAttributes<HTMLInputElement> & { label: string }) {
  return (
    <input {...rest} aria-label={label} className={`sb-field__input au-input${className ? ` ${className}` : ''}`} />
  );
}
