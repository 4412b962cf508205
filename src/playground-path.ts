/**
 * Where the local trial's playground page is served. Outside src/playground/ so that the
 * production entry point can name it without loading the playground.
 */
export const PLAYGROUND_PATH = '/playground';
