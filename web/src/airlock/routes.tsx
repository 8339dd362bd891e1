/**
 * The output airlock's pages (sas de sortie): a project's release requests, the reviewers' queue
 * and review page, the check settings and the security officer's alerts.
 */
import { Route } from 'react-router';
import { RequireUser } from '../shell/access.tsx';
import { AlertsPage } from './AlertsPage.tsx';
import { RequestPage } from './RequestPage.tsx';
import { RequestsPage } from './RequestsPage.tsx';
import { ReviewPage } from './ReviewPage.tsx';
import { ReviewQueuePage } from './ReviewQueuePage.tsx';
import { SettingsPage } from './SettingsPage.tsx';

// Any signed-in person of a project may try: the server decides who is an active member.
const people = ['project_lead', 'project_member', 'hub_instructor', 'administrator', 'output_reviewer'] as const;

export const airlockRoutes = (
  <>
    <Route path="/projets/:id/sorties" element={<RequireUser roles={people}><RequestsPage /></RequireUser>} />
    <Route path="/projets/:id/sorties/:rid" element={<RequireUser roles={people}><RequestPage /></RequireUser>} />
    <Route path="/relecture" element={<RequireUser roles={['output_reviewer']}><ReviewQueuePage /></RequireUser>} />
    <Route path="/relecture/:projectId/:rid" element={<RequireUser roles={['output_reviewer']}><ReviewPage /></RequireUser>} />
    <Route path="/admin/sas" element={<RequireUser roles={['administrator', 'output_reviewer']}><SettingsPage /></RequireUser>} />
    <Route path="/alertes" element={<RequireUser roles={['security_officer']}><AlertsPage /></RequireUser>} />
  </>
);
