/** Small pieces the catalogue pages share: badges, fact lists, the markdown renderer. */
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import MarkdownIt from 'markdown-it';
import type { ReactNode } from 'react';
import { useI18n, type MessageKey } from '../i18n.ts';
import { diffLines } from './text.ts';
import type { AccessRights, Change } from './types.ts';

/** HTML disabled: only the markup markdown itself produces reaches the DOM. */
export const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

export function Markdown({ source }: { source: string }) {
  // markdown-it with html:false escapes every tag in the source; no server markup is trusted.
  return <div className="hdh-markdown" dangerouslySetInnerHTML={{ __html: markdown.render(source) }} />;
}

const sensitivitySeverity: Record<string, 'error' | 'warning' | 'info'> = { direct_identifier: 'error', potential_identifier: 'warning', health_data: 'info' };

export function SensitivityBadge({ value }: { value: string | null }) {
  const { t } = useI18n();
  if (!value) return null;
  return (
    <Badge as="span" small noIcon severity={sensitivitySeverity[value] ?? 'info'}>
      {t(`catalog.sensitivity.${value}` as MessageKey)}
    </Badge>
  );
}

export function AccessBadge({ value }: { value: AccessRights }) {
  const { t } = useI18n();
  return (
    <Badge as="span" small noIcon severity={value === 'public' ? 'success' : value === 'restricted' ? 'warning' : 'error'}>
      {t(`catalog.access.${value}`)}
    </Badge>
  );
}

/** A definition list of label → value, skipping empty values. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  const shown = items.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
  return (
    <dl className="hdh-facts fr-mb-4w">
      {shown.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ChangeList({ changes }: { changes: Change[] }) {
  const { t, formatDateTime } = useI18n();
  if (changes.length === 0) return <p>{t('catalog.noChanges')}</p>;
  return (
    <ul>
      {changes.map((c, i) => (
        <li key={i}>
          {t('catalog.versionN', { n: c.version })} — {formatDateTime(c.occurredAt)} — {t(`catalog.change.${c.change}`)} {c.entityType} <code>{c.entityKey}</code> ({c.actor})
        </li>
      ))}
    </ul>
  );
}

/** Unified diff, lines coloured by sign; text only. */
export function Diff({ diff }: { diff: string }) {
  return (
    <pre className="hdh-diff">
      {diffLines(diff).map((line, i) => (
        <span key={i} className={line.kind === 'add' ? 'hdh-diff-add' : line.kind === 'del' ? 'hdh-diff-del' : undefined}>
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
