import './theme.css';
import './ui.css';

export { Avatar, initials } from './Avatar';
export { Button, type ButtonProps } from './Button';
export { Card, type CardProps } from './Card';
export { cx } from './cx';
export * from './icons';
export { LogoMark } from './Logo';
export { Notice, type NoticeProps } from './Notice';
export { Spinner } from './Spinner';
export { TextField, type TextFieldProps } from './TextField';
