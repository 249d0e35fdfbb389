interface ImportMetaEnv {
  readonly VITE_PARLEY_SERVER?: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
