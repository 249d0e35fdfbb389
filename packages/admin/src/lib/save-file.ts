/**
 * Hands text to the browser as a downloaded file (exports fetched with the bearer token, which a
 * plain link could not send).
 */
export function saveFile(text: string, type: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
