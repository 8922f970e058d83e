import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { Avatar, BellIcon, ChevronDownIcon, MailIcon, SignOutIcon, Spinner, cx } from '../../shared/ui';
import { isStaff, roleLabel } from '../auth/roles';
import { useSignOut } from '../auth/useSignOut';
import type { Viewer } from '../auth/viewer';

/**
 * The signed-in user in the top bar (avatar, name, role) and their menu. A menu button in the
 * WAI-ARIA sense: Enter, Space or ↓ opens it on the first item, ↑/↓/Home/End move, Escape closes
 * and returns focus to the button, a click outside or Tab closes it.
 */
export function UserMenu({ viewer }: { viewer: Viewer }) {
  const [open, setOpen] = useState(false);
  const { signOut, signingOut } = useSignOut();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonId = useId();
  const menuId = useId();

  const items = () => Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const all = items();
    const index = all.findIndex((item) => item === document.activeElement);
    const move = (to: number) => all[(to + all.length) % all.length]?.focus();
    switch (event.key) {
      case 'Escape':
        event.preventDefault();
        close(true);
        break;
      case 'ArrowDown':
        event.preventDefault();
        move(index + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        move(index - 1);
        break;
      case 'Home':
        event.preventDefault();
        move(0);
        break;
      case 'End':
        event.preventDefault();
        move(all.length - 1);
        break;
      case 'Tab':
        close(false);
        break;
    }
  };

  const role = roleLabel(viewer.role);
  return (
    <div className="sb-user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        className="sb-user-menu__trigger"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`${viewer.name}, ${role}: account menu`}
        onClick={() => setOpen((value) => !value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <Avatar name={viewer.name} seed={viewer.id} size="md" />
        <span className="sb-user-menu__identity">
          <span className="sb-user-menu__name">{viewer.name}</span>
          <span className="sb-user-menu__role">{role}</span>
        </span>
        <ChevronDownIcon className={cx('sb-user-menu__chevron', open && 'sb-user-menu__chevron--open')} />
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-labelledby={buttonId}
          className="sb-menu"
          onKeyDown={onMenuKeyDown}
        >
          <div className="sb-menu__header" role="none">
            <Avatar name={viewer.name} seed={viewer.id} size="lg" />
            <div className="sb-menu__who">
              <p className="sb-menu__name">{viewer.name}</p>
              <p className="sb-menu__email">{viewer.email}</p>
              <p className="sb-menu__meta">
                {role} · {viewer.tenant.name}
              </p>
            </div>
          </div>
          <div className="sb-menu__separator" role="separator" />
          {isStaff(viewer.role) && (
            <Link
              to="/notifications/preferences"
              role="menuitem"
              className="sb-menu__item"
              onClick={() => setOpen(false)}
            >
              <BellIcon size={16} />
              Notification preferences
            </Link>
          )}
          {isStaff(viewer.role) && (
            <Link to="/account/email" role="menuitem" className="sb-menu__item" onClick={() => setOpen(false)}>
              <MailIcon />
              My email identity
            </Link>
          )}
          <button
            type="button"
            role="menuitem"
            className="sb-menu__item"
            aria-busy={signingOut || undefined}
            onClick={() => void signOut()}
          >
            {signingOut ? <Spinner /> : <SignOutIcon />}
            {signingOut ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      )}
    </div>
  );
}
