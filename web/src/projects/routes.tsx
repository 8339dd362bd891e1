/** The projects procedure's pages: the public registry, and the signed-in files. */
import { Route } from 'react-router';
import { RequireUser } from '../shell/access.tsx';
import { EditProjectPage, NewProjectPage } from './EditProjectPage.tsx';
import { MemberReviewPage } from './MemberReviewPage.tsx';
import { MyProjectsPage } from './MyProjectsPage.tsx';
import { NotificationsPage } from './NotificationsPage.tsx';
import { ProjectPage } from './ProjectPage.tsx';
import { RegistryPage } from './RegistryPage.tsx';

const people = ['project_lead', 'project_member', 'hub_instructor', 'administrator'] as const;

export const projectRoutes = (
  <>
    <Route path="/registre" element={<RegistryPage />} />
    <Route path="/projets" element={<RequireUser roles={people}><MyProjectsPage /></RequireUser>} />
    <Route path="/projets/nouveau" element={<RequireUser roles={['project_lead']}><NewProjectPage /></RequireUser>} />
    <Route path="/projets/:id" element={<RequireUser roles={people}><ProjectPage /></RequireUser>} />
    <Route path="/projets/:id/modifier" element={<RequireUser roles={['project_lead']}><EditProjectPage /></RequireUser>} />
    <Route path="/projets/:id/revue-equipe" element={<RequireUser roles={['project_lead', 'administrator']}><MemberReviewPage /></RequireUser>} />
    <Route path="/notifications" element={<RequireUser><NotificationsPage /></RequireUser>} />
  </>
);
