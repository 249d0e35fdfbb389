import { css } from 'lit';

export const styles = css`
  .card {
    display: grid;
    gap: 10px;
    max-width: 760px;
  }
  .row input,
  .row code {
    flex: 1;
    min-width: 0;
  }
  [part='snippet'],
  [part='api-key'] {
    display: block;
    background: var(--parley-surface-2, #f0f2f5);
    border-radius: 8px;
    padding: 10px 12px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    user-select: all;
  }
  [part='api-key'] {
    border: 2px solid var(--parley-waiting, #d9480f);
  }
  textarea {
    width: 100%;
    min-height: 90px;
    resize: vertical;
  }
  .ok {
    color: var(--parley-ok, #2b8a3e);
  }
  p {
    margin: 0;
  }
`;
