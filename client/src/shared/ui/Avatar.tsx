import type { CSSProperties } from 'react';
import { cx } from './cx';

// Soft background / strong foreground pairs that read well in light and dark themes.
const palette: Array<[string, string]> = [
  ['#e9e9fe', '#4646b8'],
  ['#e0f2fe', '#0b5f8a'],
  ['#dcfae6', '#067647'],
  ['#fef0c7', '#93370d'],
  ['#fce7f6', '#9e165f'],
  ['#ebe9fe', '#5925dc'],
  ['#d5f5f6', '#0e6b70'],
  ['#fee4e2', '#b42318'],
];

/** "Alex Agent" → "AA", "casey" → "CA", "" → "?". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  const letters = last ? [...first][0]! + [...last][0]! : [...first].slice(0, 2).join('');
  return letters.toUpperCase();
}

function colourFor(seed: string): [string, string] {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return palette[hash % palette.length] ?? palette[0]!;
}

export interface AvatarProps {
  name: string;
  /** Picks the colour; defaults to the name. Pass a stable id so renamed users keep their colour. */
  seed?: string;
  size?: 'xs' | 'sm' | 'md' | 'lg';
  /** When the avatar stands alone, it is labelled with the name; next to the name it is decorative. */
  decorative?: boolean;
  className?: string;
  /** A tooltip (e.g. "Sam Agent is viewing"). */
  title?: string;
}

export function Avatar({ name, seed, size = 'md', decorative = true, className, title }: AvatarProps) {
  const [bg, fg] = colourFor(seed ?? name);
  const style = { '--avatar-bg': bg, '--avatar-fg': fg } as CSSProperties;
  return (
    <span
      className={cx('sb-avatar', `sb-avatar--${size}`, className)}
      style={style}
      title={title}
      {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': name })}
    >
      {initials(name)}
    </span>
  );
}
