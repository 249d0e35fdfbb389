import { css } from 'lit';

export const styles = css`
  .card {
    display: grid;
    gap: 10px;
    max-width: 760px;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(160px, 1fr));
    gap: 10px;
  }
  .row input {
    flex: 1;
    min-width: 0;
  }
  .check {
    display: flex;
    gap: 8px;
    align-items: center;
  }
  textarea {
    width: 100%;
    min-height: 120px;
    resize: vertical;
  }
  [part='test-result'] {
    white-space: pre-wrap;
    border-radius: 8px;
    padding: 10px 12px;
    background: var(--parley-surface-2, #f0f2f5);
  }
  .ok {
    color: var(--parley-ok, #2b8a3e);
  }
  p {
    margin: 0;
  }
`;
