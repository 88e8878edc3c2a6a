/** @module @proxy/runtime */
export {};
