import { css } from 'lit';

export const styles = css`
  :host {
    display: grid;
    place-items: center;
    min-height: 100%;
    padding: 24px 16px;
  }
  [part='form'] {
    width: min(360px, 100%);
    display: grid;
    gap: 14px;
    padding: 28px 24px;
  }
  [part='brand'] {
    font-size: 22px;
    font-weight: 700;
    display: flex;
    align-items: center;
    gap: 8px;
  }
  [part='brand']::before {
    content: '';
    width: 22px;
    height: 22px;
    border-radius: 7px 7px 7px 2px;
    background: var(--parley-accent, #3b5bdb);
  }
  input {
    width: 100%;
  }
  button[type='submit'] {
    justify-content: center;
    min-height: 40px;
  }
`;
