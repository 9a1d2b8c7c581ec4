import { describe, expect, it } from 'vitest';
import { Fragment, h, raw } from './jsx.js';

describe('jsx runtime', () => {
  it('escapes text children and attribute values by default', () => {
    const name = '<script>alert("x")</script>';
    const html = (
      <p title={name} class="a">
        {name}
      </p>
    );
    expect(html.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" class="a">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>',
    );
  });

  it('keeps markup wrapped with raw and drops false, null and undefined', () => {
    const html = (
      <>
        {raw('<b>ok</b>')}
        {false}
        {null}
        <input type="checkbox" checked={true} disabled={false} />
      </>
    );
    expect(html.value).toBe('<b>ok</b><input type="checkbox" checked>');
  });

  it('renders components with their children, JSX entities decoded then escaped again', () => {
    const Box = (props: { label: string; children?: unknown }) => (
      <div aria-label={props.label}>{props.children as string}</div>
    );
    expect((<Box label="x">a &amp; b</Box>).value).toBe('<div aria-label="x">a &amp; b</div>');
  });
});
