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
