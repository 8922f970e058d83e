import type { HTMLAttributes } from 'react';
import { cx } from './cx';

export interface CardProps extends HTMLAttributes<HTMLElement> {
  padding?: 'none' | 'md' | 'lg';
  elevated?: boolean;
  as?: 'div' | 'section' | 'article' | 'main';
}

export function Card({ padding = 'md', elevated = false, as: Tag = 'div', className, ...rest }: CardProps) {
  return (
    <Tag
      {...rest}
      className={cx(
        'sb-card',
        padding !== 'none' && `sb-card--pad-${padding}`,
        elevated && 'sb-card--elevated',
        className,
      )}
    />
  );
}
