/**
 * The per-call bridge: joins the call's RTP leg (audio plane) and its OpenAI Realtime session. Caller
 * audio goes to OpenAI in 20–40 ms batches; the bot's audio comes back paced at 20 ms; barge-in flushes
 * and truncates at the ms actually played; tools run; transcript and usage are kept for the record.
 */
package dev.wavoice.bridge;
