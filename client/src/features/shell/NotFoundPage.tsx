import { Link } from 'react-router';
import { Card, LogoMark } from '../../shared/ui';
import '../auth/auth.css';

export function NotFoundPage() {
  return (
    <div className="sb-auth-page">
      <title>Page not found · Switchboard</title>
      <Card elevated padding="lg" className="sb-auth-card" as="main">
        <LogoMark size={36} />
        <div className="sb-auth-card__header">
          <h1 className="sb-auth-card__title">Page not found</h1>
          <p className="sb-auth-card__subtitle">This address doesn’t lead anywhere in Switchboard.</p>
        </div>
        <Link to="/" className="sb-button sb-button--primary">
          Go to your home page
        </Link>
      </Card>
    </div>
  );
}
