/** @module options: registers every global option (Caddy's `RegisterGlobalOption` calls), in Caddy's order. */
export {};
