/**
 * SFR mail2SMS stand-in: a real SMTP server on loopback (smtp-server) that accepts mail for the
 * account's address only, with authentication, and parses each message with mailparser so a test
 * reads what SFR would: the Subject (the phone number) and the plain-text body (the SMS).
 * `refuseWith(550)` or `refuseWith(451)` makes it reject the recipient with that reply.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Mail2SmsReceived {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly hasHtml: boolean;
  readonly contentType: string;
}

export interface Mail2SmsStub {
  /** `smtp://user:password@127.0.0.1:<port>`: the `smtpUrl` credential. */
  readonly smtpUrl: string;
  readonly port: number;
  readonly accountAddress: string;
  received(): readonly Mail2SmsReceived[];
  refuseWith(code: number | null): void;
  close(): Promise<void>;
}

export async function startMail2SmsStub(options: { user?: string; password?: string; accountAddress?: string } = {}): Promise<Mail2SmsStub> {
  const user = options.user ?? 'creneau';
  const password = options.password ?? 'smtp-secret';
  const accountAddress = options.accountAddress ?? 'compte-62@mailtosms.sfr.example';
  const received: Mail2SmsReceived[] = [];
  let refusal: number | null = null;

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (refusal !== null) {
        callback(Object.assign(new Error('Refused'), { responseCode: refusal }));
        return;
      }
      if (address.address !== accountAddress) {
        callback(Object.assign(new Error('Unknown mailbox'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            hasHtml: mail.html !== false,
            contentType: mail.headers.get('content-type') === undefined ? '' : JSON.stringify(mail.headers.get('content-type')),
          });
          callback();
        })
        .catch((error: unknown) => {
          callback(error instanceof Error ? error : new Error('Unreadable message'));
        });
    },
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => { resolve(); }));
  const { port } = server.server.address() as AddressInfo;

  return {
    smtpUrl: `smtp://${user}:${password}@127.0.0.1:${String(port)}`,
    port,
    accountAddress,
    received: () => received,
    refuseWith(code: number | null) {
      refusal = code;
    },
    close: () => new Promise<void>((resolve) => { server.close(() => { resolve(); }); }),
  };
}
