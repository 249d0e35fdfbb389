import { css } from 'lit';

/** Layout of the per-type step forms (rows of cases, fields, headers) and of "Connect…". */
export const stepFormStyles = css`
  .option.case select,
  .option.form-field select {
    grid-column: auto;
  }
  .option button.danger {
    justify-self: start;
    width: auto;
  }
  .option .check {
    align-self: center;
  }
  .connect {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .connect select {
    width: auto;
    max-width: 100%;
  }
  details.advanced {
    margin-top: 12px;
  }
  details.advanced summary {
    cursor: pointer;
  }
`;
