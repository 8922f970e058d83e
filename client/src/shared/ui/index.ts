import './theme.css';
import './ui.css';

export { Avatar, initials } from './Avatar';
export { Button, type ButtonProps } from './Button';
export { Card, type CardProps } from './Card';
export { cx } from './cx';
export { EmptyState, Kbd } from './EmptyState';
export * from './icons';
export { LogoMark } from './Logo';
export { NavItem, type NavItemProps } from './NavItem';
export { Notice, type NoticeProps } from './Notice';
export { SelectField, type SelectFieldProps } from './SelectField';
export { Skeleton } from './Skeleton';
export { Spinner } from './Spinner';
export { TextArea, type TextAreaProps } from './TextArea';
export { TextField, type TextFieldProps } from './TextField';
export { ToastProvider, useToast } from './Toast';
export { useDismiss } from './useDismiss';
