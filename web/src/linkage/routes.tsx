/** Record linkage pages: hub staff only (instructors and administrators). */
import { Route } from 'react-router';
import { RequireUser } from '../shell/access.tsx';
import { LinkagePage } from './LinkagePage.tsx';
import { RunPage } from './RunPage.tsx';

const staff = ['hub_instructor', 'administrator'] as const;

export const linkageRoutes = (
  <>
    <Route path="/admin/linkage" element={<RequireUser roles={staff}><LinkagePage /></RequireUser>} />
    <Route path="/admin/linkage/:id" element={<RequireUser roles={staff}><RunPage /></RequireUser>} />
  </>
);
