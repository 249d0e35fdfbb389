import { css } from 'lit';

export const styles = css`
  form {
    display: flex;
    gap: 8px;
    width: 100%;
    max-width: 640px;
  }
  input[type='search'] {
    flex: 1;
    min-width: 0;
  }
  [part='results'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 8px;
    max-width: 800px;
  }
  [part='result'] {
    display: grid;
    gap: 4px;
    padding: 10px 14px;
    color: inherit;
    text-decoration: none;
  }
  [part='result']:hover {
    border-color: var(--parley-accent, #3b5bdb);
  }
  .meta {
    font-size: 12px;
    color: var(--parley-muted, #5c6670);
  }
  mark {
    background: var(--parley-accent-soft, #e7ecff);
    color: inherit;
    border-radius: 3px;
    padding: 0 2px;
    font-weight: 600;
  }
`;
