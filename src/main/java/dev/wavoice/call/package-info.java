/**
 * Calls: the state machine of each call and the registry of live calls, admission, the single
 * idempotent end-of-call path, and the call records (JPA, embedded H2 file by default, PostgreSQL by
 * configuration).
 */
package dev.wavoice.call;
