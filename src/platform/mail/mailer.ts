/**
 * Outgoing e-mail through SMTP (nodemailer). Domains hand over plain-text messages; they never
 * learn how mail travels. Without HDH_SMTP_URL there is no mailer and nothing is sent.
 */
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export class SmtpMailer implements Mailer {
  readonly #transport: Transporter;
  constructor(url: string, private readonly from: string) {
    const u = new URL(url);
    const secure = u.protocol === 'smtps:';
    this.#transport = nodemailer.createTransport({
      host: u.hostname,
      port: Number(u.port) || (secure ? 465 : 587),
      secure,
      ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
      // Short timeouts: a dead relay must not hold the hourly job for minutes.
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 10_000,
    });
  }

  async send(message: MailMessage): Promise<void> {
    await this.#transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }
}
