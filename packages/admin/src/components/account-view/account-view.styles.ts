import { css } from 'lit';

export const styles = css`
  form,
  section {
    display: grid;
    gap: 12px;
    max-width: 480px;
  }
  .ok {
    color: var(--parley-ok, #2b8a3e);
  }
  .row {
    display: flex;
    gap: 8px;
  }
`;
