/** Nest injection token for the validated AppConfig; provided globally by ConfigModule. */
export const APP_CONFIG = Symbol('AppConfig');
