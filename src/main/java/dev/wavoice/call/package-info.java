/**
 * Calls: the call core of each call ({@code ActiveCall}: states, deadlines, the single idempotent
 * end-of-call path), its channels (WhatsApp incoming and outgoing, the softphone) behind the
 * {@code CallChannel} port, the registry of live calls and admission, the events a call publishes and
 * their observers, and the call records (JPA, embedded H2 file by default, PostgreSQL by configuration).
 */
package dev.wavoice.call;
