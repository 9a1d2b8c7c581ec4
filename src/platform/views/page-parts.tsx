import { Fragment, h, type Html } from './jsx.js';

/** A DSFR breadcrumb: links to the pages above, then the current page (not a link). */
export function Breadcrumb(props: { links: readonly { label: string; href: string }[]; current: string }): Html {
  return (
    <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
      <ol class="fr-breadcrumb__list">
        {props.links.map((link) => (
          <li>
            <a class="fr-breadcrumb__link" href={link.href}>
              {link.label}
            </a>
          </li>
        ))}
        <li>
          <a class="fr-breadcrumb__link" aria-current="page">
            {props.current}
          </a>
        </li>
      </ol>
    </nav>
  );
}

/** The success message of a Post/Redirect/Get, read once from the session; nothing without one. */
export function Notice(props: { notice: string | undefined }): Html {
  return props.notice === undefined ? (
    <></>
  ) : (
    <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status">
      <p>{props.notice}</p>
    </div>
  );
}
