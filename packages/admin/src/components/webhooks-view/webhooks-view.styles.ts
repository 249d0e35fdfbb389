import { css } from 'lit';

export const styles = css`
  form,
  article {
    display: grid;
    gap: 10px;
  }
  p {
    margin: 0;
  }
  .url {
    font-size: 14px;
    overflow-wrap: anywhere;
  }
  .off {
    opacity: 0.75;
  }
  .failing {
    border-color: var(--parley-waiting, #d9480f);
  }
  .badge {
    font-size: 12px;
    padding: 2px 8px;
    border-radius: 999px;
    background: var(--parley-surface-2, #f0f2f5);
  }
  fieldset {
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: 8px;
    display: grid;
    gap: 6px;
  }
  label.check {
    display: flex;
    gap: 8px;
    align-items: center;
    color: inherit;
  }
  label.check input {
    min-height: 0;
  }
  code[part='secret'] {
    padding: 4px 6px;
    border: 2px solid var(--parley-waiting, #d9480f);
    border-radius: 6px;
    overflow-wrap: anywhere;
  }
  .ok {
    color: var(--parley-ok, #2b8a3e);
  }
  .notice {
    padding: 8px 10px;
    border-left: 4px solid var(--parley-waiting, #d9480f);
    border-radius: 6px;
    background: var(--parley-waiting-soft, #fff1e6);
  }
`;
