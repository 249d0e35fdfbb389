import { css } from 'lit';

export const styles = css`
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='agent'] {
    display: flex;
    align-items: center;
    gap: 12px;
    padding: 10px 0;
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
    flex-wrap: wrap;
  }
  [part='agent']:last-child {
    border-bottom: 0;
  }
  [part='agent'].disabled .who {
    opacity: 0.55;
  }
  .who {
    flex: 1;
    min-width: 180px;
    display: grid;
  }
  .who span {
    font-size: 12px;
    color: var(--parley-muted, #5c6670);
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--parley-border, #dfe3e8);
    flex: none;
  }
  .dot.online {
    background: var(--parley-ok, #2b8a3e);
  }
  [part='add'] {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
    gap: 10px;
    align-items: end;
  }
  [part='add'] h2 {
    grid-column: 1 / -1;
  }
  .ok {
    color: var(--parley-ok, #2b8a3e);
  }
`;
