import { h, type Child, type Html } from './jsx.js';

export interface TableProps<Row> {
  /** What the table lists, read by screen readers before the rows. */
  readonly caption: Child;
  /** One header cell per column, in order. */
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
  /** Renders one row (`<tr>`) of the body. */
  readonly row: (row: Row) => Html;
  /** Shown as a paragraph instead of the table when there are no rows; without it, the empty table is drawn. */
  readonly empty?: string;
  /** The wrapper's classes; `fr-table` by default. */
  readonly class?: string;
}

/** A DSFR table: a caption, one header row of column names, one body row per item. */
export function Table<Row>(props: TableProps<Row>): Html {
  if (props.empty !== undefined && props.rows.length === 0) return <p>{props.empty}</p>;
  return (
    <div class={props.class ?? 'fr-table'}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col">{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.rows.map(props.row)}</tbody>
      </table>
    </div>
  );
}
