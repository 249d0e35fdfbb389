/** What the CLI does to a data folder, even beside a running server: online backups, migrations, password resets. */
export { backupDatabase, databaseFile, type BackupResult } from './backup.js';
export { migrationStatus, runMigrations, type MigrationState } from './migrations.js';
export { resetPassword } from './reset-password.js';
export { MaintenanceStore } from './store.js';
export { openExisting } from './open.js';
