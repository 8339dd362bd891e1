/**
 * Documentation pages — pages de documentation: markdown attached to a dataset, a table or a
 * variable. Anyone signed in proposes a revision (with its diff against the published text);
 * hub staff or the producer of the subject approve it before it is published. Every step is
 * audited in its transaction.
 */
import crypto from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import * as docs from './documentation-repo.js';
import type { DocPageRow, DocRevisionRow, SubjectType } from './documentation-repo.js';
import { renderMarkdown } from './markdown.js';
import { assertCanEditCatalogue, isHubStaff } from './policy.js';
import * as repo from './repo.js';
import type { DocPageView, DocProposal } from './schema.js';

registerMessages({
  'catalog.doc_subject_not_found': { fr: 'Sujet de documentation introuvable : {type} {key}', en: 'Documentation subject not found: {type} {key}' },
  'catalog.doc_page_not_found': { fr: 'Page de documentation introuvable.', en: 'Documentation page not found.' },
  'catalog.doc_revision_not_found': { fr: 'Révision introuvable : {number}', en: 'Revision not found: {number}' },
  'catalog.doc_stale': {
    fr: 'La page a été publiée entre-temps (révision {current}) : repartez de la version publiée.',
    en: 'The page was published meanwhile (revision {current}): start again from the published text.',
  },
  'catalog.doc_not_proposed': { fr: 'Cette révision n’est plus en attente (statut {status}).', en: 'This revision is no longer pending (status {status}).' },
});

function label(actor: AnyActor): string {
  return actor.kind === 'user' ? actor.email : `system:${actor.label}`;
}

export class DocumentationService {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService }) {}

  /** Organisations of the producers behind a subject, for the approval check; 404 when the subject does not exist. */
  private async producerOrganisations(tx: Db | Tx, type: SubjectType, key: string): Promise<(string | null)[]> {
    const producers = await repo.listProducers(tx);
    const orgOf = (producerId: string) => producers.find((p) => p.id === producerId)?.organisation_id ?? null;
    if (type === 'dataset') {
      const d = await repo.findDataset(tx, key);
      if (!d) throw new HdhError('catalog.doc_subject_not_found', 404, { type, key });
      return [orgOf(d.producer_id)];
    }
    const [tableName, variable] = type === 'variable' ? key.split('.') : [key];
    const t = tableName ? await repo.findTable(tx, tableName) : undefined;
    if (!t || (type === 'variable' && (!variable || !(await repo.findVariable(tx, t.id, variable))))) throw new HdhError('catalog.doc_subject_not_found', 404, { type, key });
    return (await repo.datasetsCoveringTable(tx, t)).map((d) => orgOf(d.producer_id));
  }

  private async canApprove(tx: Db | Tx, actor: AnyActor, page: Pick<DocPageRow, 'subject_type' | 'subject_key'>): Promise<boolean> {
    if (isHubStaff(actor)) return true;
    try {
      assertCanEditCatalogue(actor, await this.producerOrganisations(tx, page.subject_type, page.subject_key));
      return true;
    } catch {
      return false;
    }
  }

  async listForSubject(type: SubjectType, key: string): Promise<DocPageView[]> {
    const pages = await docs.pagesOfSubject(this.deps.db, type, key);
    return Promise.all(pages.map((p) => this.present(p)));
  }

  async getPage(id: string): Promise<DocPageView> {
    const page = await docs.findPage(this.deps.db, id);
    if (!page) throw new HdhError('catalog.doc_page_not_found', 404);
    return this.present(page);
  }

  /** A new revision of a page (the page is created with its first one); published at once only when asked by an approver. */
  async propose(actor: AnyActor, input: DocProposal): Promise<DocPageView> {
    const pageId = await this.deps.db.transaction().execute(async (tx) => {
      await this.producerOrganisations(tx, input.subjectType, input.subjectKey);
      const now = this.deps.clock.now();
      let page = await docs.findPageBySlug(tx, input.subjectType, input.subjectKey, input.slug);
      if (!page) {
        page = { id: crypto.randomUUID(), subject_type: input.subjectType, subject_key: input.subjectKey, slug: input.slug, published_number: null, created_at: now, updated_at: now };
        await docs.insertPage(tx, page);
      }
      if (input.baseNumber !== page.published_number) throw new HdhError('catalog.doc_stale', 409, { current: page.published_number ?? '—' });
      const base = page.published_number ? await docs.findRevision(tx, page.id, page.published_number) : undefined;
      const number = await docs.nextRevisionNumber(tx, page.id);
      const revision: DocRevisionRow = {
        page_id: page.id, number, title: input.title, body: input.body, base_number: page.published_number,
        diff: createTwoFilesPatch(`révision ${base?.number ?? 0}`, `révision ${number}`, base ? `# ${base.title}\n\n${base.body}\n` : '', `# ${input.title}\n\n${input.body}\n`),
        status: 'proposed', author_id: actor.kind === 'user' ? actor.userId : null, author_label: label(actor), created_at: now,
        reviewer_label: null, reviewed_at: null, review_note: null,
      };
      await docs.insertRevision(tx, revision);
      await this.deps.audit.record(tx, { actor, action: 'catalog.doc_propose', target: { type: 'doc_page', id: page.id }, details: { subject: `${page.subject_type}:${page.subject_key}`, slug: page.slug, number } });
      if (input.publish) {
        if (!(await this.canApprove(tx, actor, page))) throw new HdhError('auth.forbidden', 403);
        await this.publish(tx, actor, page, revision, 'publication directe');
      }
      return page.id;
    });
    return this.getPage(pageId);
  }

  async review(actor: AnyActor, pageId: string, number: number, decision: 'approve' | 'reject', note: string): Promise<DocPageView> {
    await this.deps.db.transaction().execute(async (tx) => {
      const page = await docs.findPage(tx, pageId, true);
      if (!page) throw new HdhError('catalog.doc_page_not_found', 404);
      if (!(await this.canApprove(tx, actor, page))) throw new HdhError('auth.forbidden', 403);
      const revision = await docs.findRevision(tx, pageId, number);
      if (!revision) throw new HdhError('catalog.doc_revision_not_found', 404, { number });
      if (revision.status !== 'proposed') throw new HdhError('catalog.doc_not_proposed', 409, { status: revision.status });
      if (decision === 'reject') {
        await docs.updateRevision(tx, pageId, number, { status: 'rejected', reviewer_label: label(actor), reviewed_at: this.deps.clock.now(), review_note: note });
        await this.deps.audit.record(tx, { actor, action: 'catalog.doc_reject', target: { type: 'doc_page', id: pageId }, details: { number } });
        return;
      }
      if (revision.base_number !== page.published_number) throw new HdhError('catalog.doc_stale', 409, { current: page.published_number ?? '—' });
      await this.publish(tx, actor, page, revision, note);
    });
    return this.getPage(pageId);
  }

  private async publish(tx: Tx, actor: AnyActor, page: DocPageRow, revision: DocRevisionRow, note: string): Promise<void> {
    const now = this.deps.clock.now();
    if (page.published_number) await docs.updateRevision(tx, page.id, page.published_number, { status: 'superseded' });
    await docs.updateRevision(tx, page.id, revision.number, { status: 'published', reviewer_label: label(actor), reviewed_at: now, review_note: note });
    await docs.updatePage(tx, page.id, { published_number: revision.number, updated_at: now });
    await this.deps.audit.record(tx, { actor, action: 'catalog.doc_publish', target: { type: 'doc_page', id: page.id }, details: { number: revision.number, author: revision.author_label } });
  }

  /** Proposals waiting for a decision that this actor may take. */
  async pendingFor(actor: AnyActor) {
    const rows = await docs.proposedRevisions(this.deps.db, 500);
    const out = [];
    for (const r of rows) {
      if (!(await this.canApprove(this.deps.db, actor, r))) continue;
      out.push({ pageId: r.page_id, number: r.number, title: r.title, author: r.author_label, createdAt: r.created_at.toISOString(), subjectType: r.subject_type, subjectKey: r.subject_key, slug: r.slug, diff: r.diff });
    }
    return out;
  }

  private async present(page: DocPageRow): Promise<DocPageView> {
    const revisions = await docs.revisionsOfPage(this.deps.db, page.id);
    const published = revisions.find((r) => r.number === page.published_number);
    return {
      id: page.id, subjectType: page.subject_type, subjectKey: page.subject_key, slug: page.slug,
      published: published ? { number: published.number, title: published.title, markdown: published.body, html: renderMarkdown(published.body), author: published.author_label, publishedAt: published.reviewed_at?.toISOString() ?? null } : null,
      revisions: revisions.map((r) => ({
        number: r.number, title: r.title, status: r.status, baseNumber: r.base_number, author: r.author_label, createdAt: r.created_at.toISOString(),
        reviewer: r.reviewer_label, reviewedAt: r.reviewed_at?.toISOString() ?? null, reviewNote: r.review_note, diff: r.diff,
      })),
    };
  }
}
