import { css } from 'lit';

export const styles = css`
  form {
    display: grid;
    gap: 10px;
  }
  .check {
    display: flex;
    gap: 8px;
    align-items: center;
  }
  .check input {
    width: auto;
  }
  .grow {
    flex: 1;
  }
  .split {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 12px;
  }
  @media (max-width: 900px) {
    .split {
      grid-template-columns: 1fr;
    }
  }
  textarea {
    width: 100%;
    font-family: ui-monospace, monospace;
    font-size: 13px;
  }
  .preview {
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: 8px;
    padding: 8px 12px;
    overflow-wrap: anywhere;
    max-height: 360px;
    overflow: auto;
  }
  .preview h3 {
    margin: 0 0 6px;
  }
  .list {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 6px;
  }
  .list li {
    display: grid;
    gap: 2px;
    padding: 8px 10px;
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: 8px;
  }
  .link {
    all: unset;
    cursor: pointer;
    font-weight: 600;
    color: var(--parley-accent, #2563eb);
  }
  .link:focus-visible {
    outline: 2px solid var(--parley-accent, #2563eb);
  }
  .file input {
    max-width: 200px;
  }
`;
