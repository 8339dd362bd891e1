import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { act, Cast, completeDraft, withDemoCatalogue } from '../../test/support/projects.js';

interface Received { to: string[]; text: string }

/** Decodes the quoted-printable body enough to read it (nodemailer encodes accents that way). */
function readable(raw: string): string {
  const qp = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(qp, 'latin1').toString('utf8');
}

describe.each(stores)('e-mail notifications through SMTP on %s', (store) => {
  let t: TestHub;
  let cast: Cast;
  let smtp: SMTPServer;
  const received: Received[] = [];
  let refuse = false;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (refuse) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), text: readable(Buffer.concat(chunks).toString('latin1')) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    t = await startTestHub(store, { HDH_SMTP_URL: `smtp://127.0.0.1:${port}`, HDH_SMTP_FROM: 'HDH test <hub@hdh.example>' });
    await withDemoCatalogue(t);
    cast = new Cast(t);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('LC-06: each step of the file is e-mailed to the applicant after the commit, in their language', async () => {
    const lead = await cast.as('lead');
    const { id, reference } = await completeDraft(lead, 'cnil_authorisation');
    await act(lead, id, { action: 'submit' });
    await t.hub.services.projects.dispatchEmails();
    const mail = received.find((m) => m.text.includes(`Subject:`) && m.text.includes(reference));
    expect(mail?.to).toEqual(['porteur@recherche.example']);
    expect(mail?.text).toMatch(/From: HDH test <hub@hdh\.example>/);
    expect(mail?.text).toContain(`Le dossier ${reference} est passé de l’étape « brouillon » à l’étape « déposé, vérification de complétude ».`);
    const sent = await t.superuserSql(`select count(*)::int as n from notifications where project_id = '${id}' and emailed_at is not null`);
    expect(sent).toEqual([{ n: 1 }]);
  });

  it('a relay that refuses keeps the notification in the outbox; the hourly job sends it later, once', async () => {
    const lead = await cast.as('lead');
    const { id, reference } = await completeDraft(lead, 'cnil_authorisation');
    refuse = true;
    await act(lead, id, { action: 'submit' });
    await t.hub.services.projects.dispatchEmails();
    const pending = await t.superuserSql(`select email_attempts, email_error from notifications where project_id = '${id}'`);
    expect(pending).toEqual([{ email_attempts: expect.any(Number) as number, email_error: expect.stringMatching(/try again later/) as string }]);
    refuse = false;
    const before = received.length;
    await t.hub.services.projects.applyDueTacitOutcomes();
    await t.hub.services.projects.dispatchEmails();
    const late = received.slice(before).filter((m) => m.text.includes(reference));
    expect(late).toHaveLength(1);
  });

  it('a message from the hub is announced by e-mail without its content', async () => {
    const lead = await cast.as('lead');
    const { id, reference } = await completeDraft(lead, 'egb_simplified');
    const before = received.length;
    await (await cast.as('admin')).post(`/api/projects/${id}/messages`, { body: 'Contenu confidentiel du message' });
    await t.hub.services.projects.dispatchEmails();
    const mails = received.slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['porteur@recherche.example']);
    expect(mails[0]!.text).toContain(`Un nouveau message a été publié sur le dossier ${reference}.`);
    expect(mails[0]!.text).not.toContain('confidentiel');
  });
});
