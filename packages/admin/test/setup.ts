// Lit prints a dev-mode notice once per file; the tests know.
(globalThis as { litIssuedWarnings?: Set<string> }).litIssuedWarnings = new Set(['dev-mode']);
