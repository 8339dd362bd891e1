/** The "back to …" link above a detail page (DSFR link with a left arrow). */
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p className="fr-mb-1w">
      <Link to={to} className="fr-link fr-icon-arrow-left-line fr-link--icon-left">
        {children}
      </Link>
    </p>
  );
}
