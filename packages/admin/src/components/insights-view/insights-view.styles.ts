import { css } from 'lit';

export const styles = css`
  .csat-settings {
    padding: 0 20px;
  }
  @media (max-width: 720px) {
    .csat-settings {
      padding: 0 12px;
    }
  }
  .period {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: end;
  }
  .period label {
    display: grid;
    gap: 2px;
    font-size: 0.85em;
    color: var(--parley-muted, #5c6670);
  }
  .presets {
    display: flex;
    gap: 4px;
  }
  .presets button[aria-pressed='true'] {
    background: var(--parley-accent, #3b5bdb);
    color: var(--parley-accent-text, #fff);
    border-color: transparent;
  }
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(130px, 1fr));
    gap: 8px;
  }
  .card,
  section {
    background: var(--parley-surface, #fff);
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: var(--parley-radius, 10px);
    padding: 10px 12px;
  }
  .card b {
    display: block;
    font-size: 1.5em;
  }
  .card span {
    color: var(--parley-muted, #5c6670);
    font-size: 0.85em;
  }
  section h2 {
    font-size: 1em;
    margin: 0 0 6px;
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
  }
  section h2 .tools {
    margin-inline-start: auto;
    display: flex;
    gap: 6px;
    font-weight: normal;
  }
  .grid2 {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr));
    gap: 16px;
  }
  .chart {
    width: 100%;
    height: auto;
    display: block;
    color: var(--parley-text, #1b1f24);
  }
  .chart .axis {
    font-size: 11px;
    fill: var(--parley-muted, #5c6670);
  }
  .chart .value {
    fill: var(--parley-text, #1b1f24);
  }
  .chart .grid {
    stroke: var(--parley-border, #dfe3e8);
  }
  .chart .cell {
    fill: var(--parley-accent, #3b5bdb);
  }
  .chart .bar {
    fill: var(--parley-accent, #3b5bdb);
  }
  .s-bot {
    fill: var(--parley-ok, #2b8a3e);
    background: var(--parley-ok, #2b8a3e);
  }
  .s-resolved {
    fill: var(--parley-accent, #3b5bdb);
    background: var(--parley-accent, #3b5bdb);
  }
  .s-open {
    fill: var(--parley-waiting, #d9480f);
    background: var(--parley-waiting, #d9480f);
  }
  .s-abandoned {
    fill: var(--parley-muted, #5c6670);
    background: var(--parley-muted, #5c6670);
  }
  .chart .lost {
    fill: var(--parley-waiting, #d9480f);
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 10px;
    font-size: 0.85em;
    margin: 4px 0;
    padding: 0;
    list-style: none;
  }
  .legend i {
    display: inline-block;
    width: 10px;
    height: 10px;
    border-radius: 2px;
    margin-inline-end: 4px;
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    font-size: 0.85em;
    width: 100%;
  }
  th,
  td {
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
    padding: 4px 6px;
    text-align: start;
    white-space: nowrap;
  }
  td.comment {
    white-space: normal;
  }
  .muted {
    color: var(--parley-muted, #5c6670);
  }
`;
