/** The opposition registry's pages: the public form and withdrawal (no account), the staff counts. */
import { Route } from 'react-router';
import { RequireUser } from '../shell/access.tsx';
import { OppositionCountsPage } from './OppositionCountsPage.tsx';
import { OppositionPage } from './OppositionPage.tsx';
import { WithdrawalPage } from './WithdrawalPage.tsx';

export const optoutStaff = ['hub_instructor', 'security_officer', 'administrator'] as const;

export const optoutRoutes = (
  <>
    <Route path="/opposition" element={<OppositionPage />} />
    <Route path="/opposition/retrait" element={<WithdrawalPage />} />
    <Route path="/admin/opposition" element={<RequireUser roles={optoutStaff}><OppositionCountsPage /></RequireUser>} />
  </>
);
