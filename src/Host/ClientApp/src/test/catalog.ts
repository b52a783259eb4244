// The shipped catalog's definitions (workflows-json at the repository's root), for tests that need real flows.
export async function catalogDefinition(file: string): Promise<Record<string, unknown>> {
  // Read with Node's fs: Vite refuses to import files outside the app, and the app has no Node types to name fs with.
  const fs = (await import(/* @vite-ignore */ ['node', 'fs'].join(':'))) as { readFileSync(path: string, encoding: string): string };
  const repository = decodeURIComponent(import.meta.url.replace(/^file:\/\//, '')).split('/').slice(0, -6).join('/');
  return JSON.parse(fs.readFileSync(`${repository}/workflows-json/${file}`, 'utf8')) as Record<string, unknown>;
}
