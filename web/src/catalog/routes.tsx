/** The catalogue's pages (public reading; proposals and synthetic admin need a sign-in). */
import { Route } from 'react-router';
import { RequireUser } from '../shell/access.tsx';
import { SyntheticAdminPage } from '../synthetic/SyntheticAdminPage.tsx';
import { CatalogImportPage } from './CatalogImportPage.tsx';
import { DatasetPage } from './DatasetPage.tsx';
import { ProposalsPage } from './Documentation.tsx';
import { GraphPage } from './GraphPage.tsx';
import { NomenclaturePage } from './NomenclaturePage.tsx';
import { ProgramPage, ProgramsPage } from './ProgramsPage.tsx';
import { SearchPage } from './SearchPage.tsx';
import { TablePage } from './TablePage.tsx';
import { VariablePage } from './VariablePage.tsx';

export const catalogRoutes = (
  <>
    <Route path="/catalogue" element={<SearchPage />} />
    <Route path="/catalogue/datasets/:slug" element={<DatasetPage />} />
    <Route path="/catalogue/tables/:name" element={<TablePage />} />
    <Route path="/catalogue/tables/:name/variables/:variable" element={<VariablePage />} />
    <Route path="/catalogue/nomenclatures/:name" element={<NomenclaturePage />} />
    <Route path="/catalogue/graph" element={<GraphPage />} />
    <Route path="/catalogue/programs" element={<ProgramsPage />} />
    <Route path="/catalogue/programs/:slug" element={<ProgramPage />} />
    <Route path="/catalogue/proposals" element={<RequireUser roles={['hub_instructor', 'administrator', 'data_producer']}><ProposalsPage /></RequireUser>} />
    <Route path="/admin/catalogue-import" element={<RequireUser roles={['hub_instructor', 'administrator']}><CatalogImportPage /></RequireUser>} />
    <Route path="/admin/synthetic" element={<RequireUser roles={['administrator']}><SyntheticAdminPage /></RequireUser>} />
  </>
);
