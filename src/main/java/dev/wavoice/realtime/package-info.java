/**
 * OpenAI Realtime (GA) over WebSocket: the session settings from MicroProfile Config, the client and
 * server events as JSON-B records, one {@link dev.wavoice.realtime.RealtimeSession} per call (audio in,
 * typed callbacks out, one response at a time, session rollover before the 60-minute limit), the
 * tools the agent may call and the token usage with its estimated cost.
 */
package dev.wavoice.realtime;
