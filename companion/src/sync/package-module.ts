// Loading the package's LWC rule and catalogue modules (force-app/main/default/lwc/<name>) at run
// time, from source or from the production build: one place, imported by every module that needs
// one (settings, campaign links, fix actions, the preview).
/**
 * One of the package's LWC modules. From source (tsx), its TypeScript file: the compiled .js beside
 * it is written only by `npm run build:lwc` and may be older than the source. In the production
 * build (scripts/build-companion.mjs: one bundle, this module's URL is the bundle's), the copy
 * compiled beside the bundle from the same source, `lwc/<name>.js`.
 */
export async function packageModule<T>(name: string): Promise<T> {
  const url = import.meta.url.endsWith('.ts')
    ? new URL(`../../../force-app/main/default/lwc/${name}/${name}.ts`, import.meta.url)
    : new URL(`./lwc/${name}.js`, import.meta.url);
  return (await import(url.href)) as T;
}
