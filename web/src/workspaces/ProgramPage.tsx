/**
 * One saved program of a project: its versions (who, when, comment), the text of any version,
 * its differences with the previous one, and "open in the editor".
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useQuery } from '@tanstack/react-query';
import { createTwoFilesPatch } from 'diff';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { Diff } from '../catalog/common.tsx';
import { useI18n } from '../i18n.ts';
import { BackLink } from '../shell/BackLink.tsx';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { workspaceApi, workspacePaths, type Program } from './types.ts';
import './workspace.css';

export function ProgramPage() {
  const { id = '', pid = '' } = useParams();
  const [params] = useSearchParams();
  const { t, formatDateTime } = useI18n();
  const program = useQuery({ queryKey: ['workspace', id, 'program', pid], queryFn: () => api.get<Program>(workspaceApi(id).program(pid)) });
  const back = <BackLink to={workspacePaths.workspace(id)}>{t('ws.title')}</BackLink>;
  if (program.error)
    return (
      <>
        {back}
        <ErrorAlert error={program.error} />
      </>
    );
  if (!program.data) return <p>{t('app.loading')}</p>;
  const p = program.data;
  const versions = [...p.versions].sort((a, b) => b.version - a.version);
  const chosen = versions.find((v) => v.version === Number(params.get('version'))) ?? versions[0];
  const previous = chosen ? p.versions.find((v) => v.version === chosen.version - 1) : undefined;
  const showDiff = params.get('diff') === '1' && previous && chosen;

  return (
    <>
      {back}
      <h1>{p.name}</h1>
      {p.description && <p>{p.description}</p>}
      <p className="fr-text--sm">{t('ws.programs.meta', { version: p.latestVersion, at: formatDateTime(p.updatedAt), by: p.updatedBy })}</p>
      {chosen && (
        <>
          <h2 className="fr-h5">
            {t('ws.program.version', { n: chosen.version })}
            {chosen.version === p.latestVersion && ` (${t('ws.program.latest')})`}
          </h2>
          <p className="fr-text--sm">
            {formatDateTime(chosen.createdAt)} · {chosen.createdBy}
            {chosen.comment && ` · ${chosen.comment}`}
          </p>
          <div className="hdh-run-bar fr-mb-2w">
            <Button iconId="fr-icon-edit-line" linkProps={{ to: `${workspacePaths.workspace(id)}?program=${encodeURIComponent(p.id)}&version=${chosen.version}` }}>
              {t('ws.program.openInEditor')}
            </Button>
            {previous && (
              <Button priority="secondary" iconId="fr-icon-git-commit-line" linkProps={{ to: `${workspacePaths.program(id, p.id, chosen.version)}${showDiff ? '' : '&diff=1'}` }}>
                {showDiff ? t('ws.program.hideDiff') : t('ws.program.showDiff', { n: previous.version })}
              </Button>
            )}
          </div>
          {showDiff && previous.sql === chosen.sql ? (
            <p id="program-no-diff">{t('ws.program.noDiff', { n: previous.version })}</p>
          ) : showDiff ? (
            <Diff diff={createTwoFilesPatch(`v${previous.version}`, `v${chosen.version}`, previous.sql, chosen.sql)} />
          ) : (
            <pre className="hdh-code" id="program-sql">{chosen.sql}</pre>
          )}
        </>
      )}
      <h2 className="fr-h5 fr-mt-4w">{t('ws.program.versions')}</h2>
      <ol className="hdh-versions" reversed>
        {versions.map((v) => (
          <li key={v.version}>
            <Link to={workspacePaths.program(id, p.id, v.version)} aria-current={v.version === chosen?.version ? 'true' : undefined}>
              {t('ws.program.version', { n: v.version })}
            </Link>{' '}
            <span className="fr-text--sm">
              {formatDateTime(v.createdAt)} · {v.createdBy}
              {v.comment && ` · ${v.comment}`}
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}
