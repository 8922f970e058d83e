import { useRef, useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMutation } from '@apollo/client/react';
import { SignInDocument } from '../../gql/graphql';
import { session, useSession } from '../../app/session';
import {
  connectionMessage,
  formatDuration,
  graphQLErrorCode,
  graphQLErrorMessage,
  retryAfterSeconds,
} from '../../app/errors';
import { Button, Card, LogoMark, Notice, TextField } from '../../shared/ui';
import './auth.css';

interface FormProblem {
  title: string;
  detail: string;
}

/** What to tell the user when `login` fails. */
export function describeSignInError(error: unknown, now = new Date()): FormProblem {
  switch (graphQLErrorCode(error)) {
    case 'UNAUTHENTICATED':
      return {
        title: 'Wrong email or password',
        detail: 'Check both and try again. Passwords are case-sensitive.',
      };
    case 'TOO_MANY_REQUESTS': {
      const seconds = retryAfterSeconds(error);
      if (seconds === undefined) {
        return {
          title: 'Too many sign-in attempts',
          detail: 'For your security, signing in is paused for a while. Please try again later.',
        };
      }
      const at = new Date(now.getTime() + seconds * 1000).toLocaleTimeString([], {
        hour: '2-digit',
        minute: '2-digit',
      });
      return {
        title: 'Too many sign-in attempts',
        detail: `For your security, signing in is paused. Try again in ${formatDuration(seconds)} (at ${at}).`,
      };
    }
    case 'BAD_USER_INPUT':
      return { title: 'Check the form', detail: graphQLErrorMessage(error) ?? 'Some of the details are not valid.' };
    case undefined:
      return { title: 'Can’t connect', detail: connectionMessage(error) };
    default:
      return { title: 'Sign-in failed', detail: 'Something went wrong on our side. Please try again.' };
  }
}

function safeRedirect(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string') {
    const from = state.from;
    if (from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/sign-in')) return from;
  }
  return '/';
}

export function SignInPage() {
  const { token, ended } = useSession();
  const location = useLocation();
  const [signIn, { loading }] = useMutation(SignInDocument);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  if (token) return <Navigate to={safeRedirect(location.state)} replace />;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (loading) return;
    const errors: { email?: string; password?: string } = {};
    const trimmed = email.trim();
    if (!trimmed) errors.email = 'Enter your email address';
    else if (!/^[^\s@]+@[^\s@]+$/.test(trimmed)) errors.email = 'Enter an email address like name@company.com';
    if (!password) errors.password = 'Enter your password';
    setFieldErrors(errors);
    setProblem(null);
    if (errors.email || errors.password) {
      (errors.email ? emailRef : passwordRef).current?.focus();
      return;
    }
    try {
      const { data } = await signIn({ variables: { email: trimmed, password } });
      if (!data) throw new Error('No answer from the server');
      session.signIn(data.login.token);
    } catch (error) {
      setProblem(describeSignInError(error));
      if (graphQLErrorCode(error) === 'UNAUTHENTICATED') passwordRef.current?.select();
    }
  };

  return (
    <div className="sb-auth-page">
      <title>Sign in · Switchboard</title>
      <main className="sb-auth-main">
        <div className="sb-auth-brand">
          <LogoMark size={32} />
          <span className="sb-auth-brand__name">Switchboard</span>
        </div>
        <Card elevated padding="lg" className="sb-auth-card" as="section" aria-labelledby="sign-in-title">
          <div className="sb-auth-card__header">
            <h1 className="sb-auth-card__title" id="sign-in-title">
              Sign in
            </h1>
            <p className="sb-auth-card__subtitle">Welcome back. Enter your email and password to continue.</p>
          </div>

          {ended === 'expired' && !problem && (
            <Notice tone="warning" title="Your session ended" onDismiss={() => session.dismissNotice()}>
              Sign in again to pick up where you left off.
            </Notice>
          )}
          {ended === 'signed-out' && !problem && (
            <Notice tone="success" title="You’re signed out" onDismiss={() => session.dismissNotice()}>
              See you soon.
            </Notice>
          )}
          {problem && (
            <Notice tone="danger" title={problem.title}>
              {problem.detail}
            </Notice>
          )}

          <form className="sb-auth-form" onSubmit={onSubmit} noValidate aria-label="Sign in">
            <TextField
              ref={emailRef}
              label="Email"
              type="email"
              name="email"
              autoComplete="username"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              placeholder="you@company.com"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              error={fieldErrors.email}
            />
            <TextField
              ref={passwordRef}
              label="Password"
              type={showPassword ? 'text' : 'password'}
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              error={fieldErrors.password}
              trailing={
                <Button
                  variant="ghost"
                  size="sm"
                  className="sb-auth-reveal"
                  aria-label={showPassword ? 'Hide password' : 'Show password'}
                  aria-pressed={showPassword}
                  onClick={() => setShowPassword((shown) => !shown)}
                >
                  {showPassword ? 'Hide' : 'Show'}
                </Button>
              }
            />
            <Button type="submit" variant="primary" size="lg" block loading={loading}>
              Sign in
            </Button>
          </form>
        </Card>
        <p className="sb-auth-footnote">One sign-in for support teams and their customers.</p>
      </main>
    </div>
  );
}
