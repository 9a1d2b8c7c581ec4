import { h, type Html } from '../../views/jsx.js';
import { Layout } from '../../views/layout.js';
import type { OutboxEmail, OutboxEmailSummary } from '../dev-outbox.repository.js';

function DevNotice(): Html {
  return (
    <div class="fr-notice fr-notice--info fr-mb-4w">
      <div class="fr-container">
        <div class="fr-notice__body">
          <p class="fr-notice__title">
            Environnement de développement : ces e-mails n’ont pas été envoyés. Définissez SMTP_URL pour les envoyer.
          </p>
        </div>
      </div>
    </div>
  );
}

/** `/dev/outbox`: the messages the development mailer kept, latest first. */
export function DevOutboxListPage(props: { emails: OutboxEmailSummary[] }): Html {
  return (
    <Layout title="Boîte d’envoi de développement">
      <DevNotice />
      <h1>Boîte d’envoi de développement</h1>
      {props.emails.length === 0 ? (
        <p>Aucun e-mail pour l’instant.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>E-mails « envoyés », du plus récent au plus ancien</caption>
            <thead>
              <tr>
                <th scope="col">Date (UTC)</th>
                <th scope="col">Destinataire</th>
                <th scope="col">Objet</th>
                <th scope="col">Pièces jointes</th>
              </tr>
            </thead>
            <tbody>
              {props.emails.map((email) => (
                <tr>
                  <td>{email.createdAt.toISOString()}</td>
                  <td>{email.recipient}</td>
                  <td>
                    <a href={`/dev/outbox/${email.id}`}>{email.subject}</a>
                  </td>
                  <td>{email.attachmentCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** `/dev/outbox/:id`: one message; bodies are shown as escaped text, never as live HTML. */
export function DevOutboxMessagePage(props: { email: OutboxEmail }): Html {
  const { email } = props;
  return (
    <Layout title={email.subject}>
      <DevNotice />
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/dev/outbox">
          Tous les e-mails
        </a>
      </p>
      <h1>{email.subject}</h1>
      <dl>
        <dt>De</dt>
        <dd>{email.sender}</dd>
        <dt>À</dt>
        <dd>{email.recipient}</dd>
        <dt>Date (UTC)</dt>
        <dd>{email.createdAt.toISOString()}</dd>
        <dt>Message-ID</dt>
        <dd>{email.messageId}</dd>
      </dl>
      <h2>Texte</h2>
      <pre class="dev-outbox__body">{email.textBody}</pre>
      {email.htmlBody === null ? null : (
        <details>
          <summary>Source HTML</summary>
          <pre class="dev-outbox__body">{email.htmlBody}</pre>
        </details>
      )}
      {email.attachments.length === 0 ? null : (
        <section>
          <h2>Pièces jointes</h2>
          <ul>
            {email.attachments.map((attachment, index) => (
              <li>
                <a class="fr-link" href={`/dev/outbox/${email.id}/attachments/${index}`} download={attachment.filename}>
                  {attachment.filename}
                </a>{' '}
                ({attachment.contentType})
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}
